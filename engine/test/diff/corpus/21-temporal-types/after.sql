CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  d datetime,
  dt datetime(6),
  tm time(2),
  y year,
  PRIMARY KEY (id)
);
