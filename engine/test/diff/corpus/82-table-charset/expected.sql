ALTER TABLE `t` MODIFY COLUMN `name` varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL, DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
