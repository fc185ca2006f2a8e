CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a float,
  b double,
  PRIMARY KEY (id)
);
