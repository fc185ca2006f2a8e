CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  qty int NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT chk_qty CHECK (qty >= 0)
);
