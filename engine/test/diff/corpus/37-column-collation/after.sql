CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) COLLATE utf8mb4_bin NOT NULL,
  PRIMARY KEY (id)
);
