CREATE TABLE child (
  id int NOT NULL,
  parent_id int,
  PRIMARY KEY (id)
);
