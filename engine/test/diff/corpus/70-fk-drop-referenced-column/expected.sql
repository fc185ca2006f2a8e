ALTER TABLE `child` DROP FOREIGN KEY `fk_code`;
ALTER TABLE `parent` DROP INDEX `uq_code`, DROP COLUMN `code`;
