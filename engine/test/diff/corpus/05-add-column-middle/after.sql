CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  age smallint unsigned,
  email varchar(100),
  PRIMARY KEY (id)
);
