CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  email varchar(100) NULL,
  PRIMARY KEY (id)
);
