CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a int,
  b int AS (a * 2) VIRTUAL,
  c int,
  PRIMARY KEY (id),
  KEY idx_b (b),
  CONSTRAINT chk_b CHECK (b < 1000)
);
