CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  v enum('a''b','c\\d') NOT NULL,
  PRIMARY KEY (id)
);
