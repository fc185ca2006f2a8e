CREATE TABLE parent (
  id int NOT NULL,
  PRIMARY KEY (id)
);
