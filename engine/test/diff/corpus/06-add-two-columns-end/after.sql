CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  a int,
  b int,
  PRIMARY KEY (id)
);
