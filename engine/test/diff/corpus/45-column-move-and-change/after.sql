CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  c bigint,
  n int,
  a int,
  b int NOT NULL DEFAULT 5,
  PRIMARY KEY (id)
);
