CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  c int,
  a int,
  b int,
  PRIMARY KEY (id)
);
