CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  stage varchar(20) NOT NULL DEFAULT 'new',
  PRIMARY KEY (id)
);
