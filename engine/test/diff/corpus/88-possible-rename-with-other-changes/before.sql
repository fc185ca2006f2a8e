CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a varchar(10),
  b int,
  PRIMARY KEY (id)
);
