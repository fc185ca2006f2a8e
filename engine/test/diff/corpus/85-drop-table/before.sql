CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE old_stuff (
  id int NOT NULL,
  PRIMARY KEY (id)
);
