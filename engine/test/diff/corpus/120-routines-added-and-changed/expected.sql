DROP FUNCTION `get_customer_balance`;
CREATE FUNCTION `get_customer_balance` (p_customer_id int) RETURNS decimal(8,2)
READS SQL DATA
BEGIN
  DECLARE v decimal(8,2);
  SELECT balance INTO v FROM customer WHERE customer_id = p_customer_id;
  RETURN IFNULL(v, -1);
END;
CREATE PROCEDURE `film_in_stock` (IN p_film_id int, OUT p_count int)
READS SQL DATA
BEGIN
  SELECT COUNT(*) INTO p_count FROM film WHERE film_id = p_film_id;
END;
