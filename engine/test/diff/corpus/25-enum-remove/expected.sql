ALTER TABLE `t` MODIFY COLUMN `state` enum('new','paid') NOT NULL DEFAULT 'new';
