ALTER TABLE `child` DROP FOREIGN KEY `fk_child_parent`, MODIFY COLUMN `parent_id` bigint(20) DEFAULT NULL;
ALTER TABLE `parent` MODIFY COLUMN `id` bigint(20) NOT NULL;
ALTER TABLE `child` ADD CONSTRAINT `fk_child_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) ON DELETE CASCADE;
