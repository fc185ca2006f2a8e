CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a int CHECK (a > 0),
  PRIMARY KEY (id)
);
