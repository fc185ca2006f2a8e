CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a double,
  b float,
  PRIMARY KEY (id)
);
