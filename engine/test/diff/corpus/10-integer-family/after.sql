CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a smallint,
  b mediumint,
  c int,
  PRIMARY KEY (id)
);
