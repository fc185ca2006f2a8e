CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  at timestamp NULL,
  PRIMARY KEY (id)
);
