CREATE TABLE node (
  id int NOT NULL,
  PRIMARY KEY (id)
);
