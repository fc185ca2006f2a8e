CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  first varchar(20),
  last varchar(20),
  full_name varchar(41) AS (concat(first, ' ', last)) STORED,
  PRIMARY KEY (id)
);
