CREATE TABLE orders (
  id int NOT NULL,
  PRIMARY KEY (id)
);
