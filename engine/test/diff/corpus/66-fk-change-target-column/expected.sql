ALTER TABLE `child` DROP FOREIGN KEY `fk_child_parent`, ADD COLUMN `parent_id` int(11) DEFAULT NULL, ADD KEY `k_pid` (`parent_id`);
ALTER TABLE `child` ADD CONSTRAINT `fk_child_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) ON DELETE SET NULL;
