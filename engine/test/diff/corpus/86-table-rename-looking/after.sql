CREATE TABLE users (
  id int NOT NULL,
  PRIMARY KEY (id)
);
