DROP TRIGGER `customer_created`;
DROP TABLE `customer`;
