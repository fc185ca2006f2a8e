CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL COMMENT 'display name',
  x int COMMENT 'new',
  PRIMARY KEY (id)
);
