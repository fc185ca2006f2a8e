CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  bio text,
  PRIMARY KEY (id)
);
