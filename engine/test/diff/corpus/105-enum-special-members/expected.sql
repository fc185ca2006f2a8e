ALTER TABLE `t` MODIFY COLUMN `v` enum('a''b','c\\d','e,f') NOT NULL;
