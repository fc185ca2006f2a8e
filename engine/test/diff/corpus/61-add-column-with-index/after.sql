CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  sku varchar(30) NOT NULL DEFAULT '',
  PRIMARY KEY (id),
  UNIQUE KEY uq_sku (sku)
);
