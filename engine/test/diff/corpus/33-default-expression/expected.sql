ALTER TABLE `t` ADD COLUMN `created_at` datetime NOT NULL DEFAULT current_timestamp(), ADD COLUMN `token` varchar(36) NOT NULL DEFAULT uuid();
