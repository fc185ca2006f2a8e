CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  body mediumtext,
  img longblob,
  summary text,
  PRIMARY KEY (id)
);
