CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a int,
  b int,
  PRIMARY KEY (id)
);
