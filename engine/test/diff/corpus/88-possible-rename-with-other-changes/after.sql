CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  c varchar(10),
  b bigint,
  PRIMARY KEY (id)
);
