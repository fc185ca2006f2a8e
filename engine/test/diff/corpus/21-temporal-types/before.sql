CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  d date,
  dt datetime(3),
  tm time,
  y year,
  PRIMARY KEY (id)
);
