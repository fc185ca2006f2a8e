CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  pos point,
  area geometry,
  PRIMARY KEY (id)
);
