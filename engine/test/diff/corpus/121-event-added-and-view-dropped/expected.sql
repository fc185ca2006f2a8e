DROP VIEW `cheap_film_list`;
CREATE EVENT `purge_audit` ON SCHEDULE EVERY 1 DAY DO DELETE FROM customer_audit WHERE id < 0;
