CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  updated_at timestamp NULL,
  PRIMARY KEY (id)
);
