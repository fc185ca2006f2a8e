CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  price decimal(8,2) NOT NULL,
  PRIMARY KEY (id)
);
