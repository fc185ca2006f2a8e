CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  code varchar(8) NOT NULL,
  PRIMARY KEY (id)
);
