CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  h binary(16) NOT NULL,
  v varbinary(100),
  PRIMARY KEY (id)
);
