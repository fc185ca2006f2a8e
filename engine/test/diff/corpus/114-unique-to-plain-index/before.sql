CREATE TABLE t (
  id int NOT NULL,
  a int,
  PRIMARY KEY (id),
  UNIQUE KEY u_a (a)
);
