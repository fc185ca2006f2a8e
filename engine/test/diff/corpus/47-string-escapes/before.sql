CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  label varchar(20) NOT NULL DEFAULT 'a',
  PRIMARY KEY (id)
);
