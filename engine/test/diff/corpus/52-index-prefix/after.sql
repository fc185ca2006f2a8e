CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  title varchar(200) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_title (title(20))
);
