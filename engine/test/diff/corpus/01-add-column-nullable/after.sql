CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  note varchar(100) NULL,
  PRIMARY KEY (id)
);
