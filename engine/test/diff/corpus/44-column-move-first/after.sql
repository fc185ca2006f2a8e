CREATE TABLE t (
  b int,
  id int NOT NULL AUTO_INCREMENT,
  a int,
  PRIMARY KEY (id)
);
