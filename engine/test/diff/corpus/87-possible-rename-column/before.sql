CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  fullname varchar(100) NOT NULL,
  PRIMARY KEY (id)
);
