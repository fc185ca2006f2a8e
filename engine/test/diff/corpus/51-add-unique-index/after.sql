CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  email varchar(100) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_email (email)
);
