CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  qty int NOT NULL,
  PRIMARY KEY (id)
);
