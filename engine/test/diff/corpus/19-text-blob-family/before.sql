CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  body text,
  img blob,
  summary mediumtext,
  PRIMARY KEY (id)
);
