CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  flags bit(1) NOT NULL,
  PRIMARY KEY (id)
);
