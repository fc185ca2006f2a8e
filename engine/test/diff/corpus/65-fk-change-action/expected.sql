ALTER TABLE `child` DROP FOREIGN KEY `fk_child_parent`;
ALTER TABLE `child` ADD CONSTRAINT `fk_child_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) ON DELETE CASCADE;
