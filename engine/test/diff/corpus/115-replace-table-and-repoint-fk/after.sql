CREATE TABLE orders (
  id int NOT NULL,
  customer_id int,
  PRIMARY KEY (id),
  KEY fk_customer (customer_id),
  CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
);
CREATE TABLE customers (
  id int NOT NULL,
  email varchar(100) NOT NULL,
  PRIMARY KEY (id)
);
