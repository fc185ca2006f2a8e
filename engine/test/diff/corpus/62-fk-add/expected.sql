ALTER TABLE `child` ADD KEY `fk_child_parent` (`parent_id`), ADD CONSTRAINT `fk_child_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`);
