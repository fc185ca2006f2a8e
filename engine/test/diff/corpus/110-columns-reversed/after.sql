CREATE TABLE t (
  d int,
  c int,
  b int,
  a int,
  id int NOT NULL,
  PRIMARY KEY (id)
);
