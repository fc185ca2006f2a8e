CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  price decimal(10,2) NOT NULL,
  qty int NOT NULL,
  total decimal(12,2) AS (price * qty) VIRTUAL,
  PRIMARY KEY (id)
);
