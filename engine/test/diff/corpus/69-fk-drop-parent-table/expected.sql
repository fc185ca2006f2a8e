ALTER TABLE `child` DROP FOREIGN KEY `fk_child_parent`, DROP INDEX `fk_child_parent`;
DROP TABLE `parent`;
