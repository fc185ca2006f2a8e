CREATE TABLE d (
  id int NOT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  email varchar(100),
  PRIMARY KEY (id)
);
CREATE TABLE b (
  id int NOT NULL,
  x bigint,
  PRIMARY KEY (id),
  KEY idx_x (x)
);
