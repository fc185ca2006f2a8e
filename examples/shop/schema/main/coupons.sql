-- Legacy table from the first version of the shop: discount_amount is a FLOAT,
-- which the float-double lint rule flags (money should be DECIMAL). Fixing it is
-- a good first deploy request.
CREATE TABLE coupons (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  code VARCHAR(32) NOT NULL,
  discount_amount FLOAT NOT NULL,
  valid_from DATE NOT NULL,
  valid_until DATE DEFAULT NULL,
  max_uses INT UNSIGNED DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_coupons_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
