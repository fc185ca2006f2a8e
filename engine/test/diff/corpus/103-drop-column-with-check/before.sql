CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a int,
  b int,
  PRIMARY KEY (id),
  CONSTRAINT chk_b CHECK (b > 0)
);
