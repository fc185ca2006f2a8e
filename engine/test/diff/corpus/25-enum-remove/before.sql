CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  state enum('new','paid','void') NOT NULL DEFAULT 'new',
  PRIMARY KEY (id)
);
