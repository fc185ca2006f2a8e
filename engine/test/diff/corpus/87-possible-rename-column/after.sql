CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  display_name varchar(100) NOT NULL,
  PRIMARY KEY (id)
);
