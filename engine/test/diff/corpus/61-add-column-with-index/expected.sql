ALTER TABLE `t` ADD COLUMN `sku` varchar(30) NOT NULL DEFAULT '', ADD UNIQUE KEY `uq_sku` (`sku`);
