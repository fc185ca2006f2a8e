CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  d int,
  a varchar(40) NOT NULL DEFAULT '',
  b int NOT NULL DEFAULT 1,
  e date,
  PRIMARY KEY (id),
  KEY idx_b (b, d),
  UNIQUE KEY uq_a (a),
  CONSTRAINT chk_b CHECK (b > 0)
) COMMENT='v2';
