CREATE TABLE t (
  tenant int NOT NULL DEFAULT 0,
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  PRIMARY KEY (id)
);
