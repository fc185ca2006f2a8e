CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  at datetime NULL,
  PRIMARY KEY (id)
);
