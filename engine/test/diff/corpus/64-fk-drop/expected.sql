ALTER TABLE `child` DROP FOREIGN KEY `fk_child_parent`;
