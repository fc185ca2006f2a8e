CREATE TABLE t (
  id int NOT NULL,
  c int,
  x int,
  a int,
  y int,
  b int,
  PRIMARY KEY (id)
);
