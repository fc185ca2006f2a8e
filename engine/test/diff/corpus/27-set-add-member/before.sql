CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  tags set('a','b'),
  PRIMARY KEY (id)
);
