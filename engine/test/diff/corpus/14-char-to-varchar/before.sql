CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  code char(4) NOT NULL,
  PRIMARY KEY (id)
);
