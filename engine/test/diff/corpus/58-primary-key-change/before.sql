CREATE TABLE t (
  id int NOT NULL,
  tenant int NOT NULL,
  PRIMARY KEY (id)
);
