CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  price decimal(12,4) NOT NULL,
  PRIMARY KEY (id)
);
