CREATE VIEW `film_list` AS SELECT film.film_id AS FID, film.title AS title, category.name AS category, film.rental_rate AS price
FROM category LEFT JOIN film_category ON category.category_id = film_category.category_id LEFT JOIN film ON film_category.film_id = film.film_id;
CREATE VIEW `cheap_film_list` AS SELECT FID, title FROM film_list WHERE price < 1;
