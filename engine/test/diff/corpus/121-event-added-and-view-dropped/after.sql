CREATE TABLE film (film_id int NOT NULL, title varchar(100) NOT NULL, rental_rate decimal(4,2) NOT NULL DEFAULT 4.99, PRIMARY KEY (film_id));
CREATE TABLE category (category_id int NOT NULL, name varchar(25) NOT NULL, PRIMARY KEY (category_id));
CREATE TABLE film_category (film_id int NOT NULL, category_id int NOT NULL, PRIMARY KEY (film_id, category_id));
CREATE TABLE customer (customer_id int NOT NULL, name varchar(45) NOT NULL, balance decimal(8,2) NOT NULL DEFAULT 0, PRIMARY KEY (customer_id));
CREATE TABLE customer_audit (id int NOT NULL AUTO_INCREMENT, customer_id int NOT NULL, action varchar(10) NOT NULL, PRIMARY KEY (id));
CREATE VIEW film_list AS SELECT film.film_id AS FID, film.title AS title, category.name AS category, film.rental_rate AS price
FROM category LEFT JOIN film_category ON category.category_id = film_category.category_id LEFT JOIN film ON film_category.film_id = film.film_id;

CREATE EVENT purge_audit ON SCHEDULE EVERY 1 DAY DO DELETE FROM customer_audit WHERE id < 0;
