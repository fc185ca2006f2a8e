CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  bio varchar(1000),
  PRIMARY KEY (id)
);
