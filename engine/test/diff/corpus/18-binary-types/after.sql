CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  h binary(32) NOT NULL,
  v varbinary(50),
  PRIMARY KEY (id)
);
