CREATE TABLE customers_old (
  id int NOT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE orders (
  id int NOT NULL,
  customer_id int,
  PRIMARY KEY (id),
  KEY fk_customer (customer_id),
  CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers_old (id)
);
