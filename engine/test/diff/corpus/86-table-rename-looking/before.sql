CREATE TABLE users_old (
  id int NOT NULL,
  PRIMARY KEY (id)
);
