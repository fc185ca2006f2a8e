ALTER TABLE `t` MODIFY COLUMN `state` enum('new','paid','shipped') NOT NULL DEFAULT 'new';
