CREATE TABLE addresses (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  customer_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('shipping','billing') NOT NULL DEFAULT 'shipping',
  line1 VARCHAR(200) NOT NULL,
  line2 VARCHAR(200) DEFAULT NULL,
  city VARCHAR(100) NOT NULL,
  postal_code VARCHAR(20) NOT NULL,
  country_code CHAR(2) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_addresses_customer (customer_id, kind),
  CONSTRAINT fk_addresses_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
