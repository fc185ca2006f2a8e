CREATE TABLE t (
  id int NOT NULL,
  a int,
  b int,
  c int,
  PRIMARY KEY (id)
);
