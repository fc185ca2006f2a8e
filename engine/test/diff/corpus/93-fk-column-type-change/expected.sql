ALTER TABLE `child` DROP FOREIGN KEY `fk_child_parent`, MODIFY COLUMN `parent_id` bigint DEFAULT NULL;
ALTER TABLE `parent` MODIFY COLUMN `id` bigint NOT NULL;
ALTER TABLE `child` ADD CONSTRAINT `fk_child_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) ON DELETE CASCADE;
