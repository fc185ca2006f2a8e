CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  token varchar(36) NOT NULL DEFAULT (uuid()),
  PRIMARY KEY (id)
);
