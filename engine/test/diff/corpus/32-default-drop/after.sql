CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  label varchar(20) NOT NULL,
  PRIMARY KEY (id)
);
