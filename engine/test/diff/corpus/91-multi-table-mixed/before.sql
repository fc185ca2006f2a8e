CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE b (
  id int NOT NULL,
  x int,
  PRIMARY KEY (id)
);
CREATE TABLE c (
  id int NOT NULL,
  PRIMARY KEY (id)
);
