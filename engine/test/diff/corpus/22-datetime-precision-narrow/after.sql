CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  dt datetime NOT NULL,
  PRIMARY KEY (id)
);
