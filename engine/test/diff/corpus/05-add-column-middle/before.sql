CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  email varchar(100),
  PRIMARY KEY (id)
);
