CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  dt datetime(6) NOT NULL,
  PRIMARY KEY (id)
);
