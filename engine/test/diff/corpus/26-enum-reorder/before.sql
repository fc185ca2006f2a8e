CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  state enum('new','paid') NOT NULL DEFAULT 'new',
  PRIMARY KEY (id)
);
