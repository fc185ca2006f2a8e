CREATE TABLE film (film_id int NOT NULL, title varchar(100) NOT NULL, rental_rate decimal(4,2) NOT NULL DEFAULT 4.99, PRIMARY KEY (film_id));
CREATE TABLE category (category_id int NOT NULL, name varchar(25) NOT NULL, PRIMARY KEY (category_id));
CREATE TABLE film_category (film_id int NOT NULL, category_id int NOT NULL, PRIMARY KEY (film_id, category_id));
CREATE TABLE customer (customer_id int NOT NULL, name varchar(45) NOT NULL, balance decimal(8,2) NOT NULL DEFAULT 0, PRIMARY KEY (customer_id));
CREATE TABLE customer_audit (id int NOT NULL AUTO_INCREMENT, customer_id int NOT NULL, action varchar(10) NOT NULL, PRIMARY KEY (id));
CREATE TRIGGER customer_created AFTER INSERT ON customer FOR EACH ROW
BEGIN
  INSERT INTO customer_audit (customer_id, action) VALUES (NEW.customer_id, 'insert');
END;
