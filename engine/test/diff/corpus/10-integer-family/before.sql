CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a tinyint,
  b smallint,
  c mediumint unsigned,
  PRIMARY KEY (id)
);
