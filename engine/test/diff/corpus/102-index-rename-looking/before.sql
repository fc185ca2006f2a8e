CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a int,
  PRIMARY KEY (id),
  KEY old_idx (a)
);
