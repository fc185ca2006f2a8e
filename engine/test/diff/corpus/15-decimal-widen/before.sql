CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  price decimal(10,2) NOT NULL,
  PRIMARY KEY (id)
);
