CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  pos point NOT NULL,
  PRIMARY KEY (id),
  SPATIAL KEY sp_pos (pos)
);
