CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a int,
  PRIMARY KEY (id),
  KEY new_idx (a)
);
