CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  state enum('paid','new') NOT NULL DEFAULT 'new',
  PRIMARY KEY (id)
);
