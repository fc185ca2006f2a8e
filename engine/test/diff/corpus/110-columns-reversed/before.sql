CREATE TABLE t (
  id int NOT NULL,
  a int,
  b int,
  c int,
  d int,
  PRIMARY KEY (id)
);
