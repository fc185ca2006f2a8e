CREATE TRIGGER `customer_created` AFTER INSERT ON customer FOR EACH ROW
BEGIN
  INSERT INTO customer_audit (customer_id, action) VALUES (NEW.customer_id, 'insert');
END;
