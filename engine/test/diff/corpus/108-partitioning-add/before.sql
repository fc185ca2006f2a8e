CREATE TABLE events (
  id int NOT NULL,
  at datetime NOT NULL,
  PRIMARY KEY (id)
);
