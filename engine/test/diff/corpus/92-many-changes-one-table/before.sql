CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a varchar(20),
  b int NOT NULL DEFAULT 0,
  c text,
  d int,
  PRIMARY KEY (id),
  KEY idx_b (b),
  KEY idx_d (d),
  CONSTRAINT chk_b CHECK (b >= 0)
) COMMENT='v1';
