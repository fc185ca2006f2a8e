CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  tags set('a','b','c') NOT NULL DEFAULT '',
  PRIMARY KEY (id)
);
