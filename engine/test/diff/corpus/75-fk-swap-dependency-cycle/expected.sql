ALTER TABLE `child` DROP FOREIGN KEY `fk_code`;
ALTER TABLE `parent` DROP INDEX `uq_code`, DROP COLUMN `code`, ADD COLUMN `ref` varchar(10) NOT NULL, ADD UNIQUE KEY `uq_ref` (`ref`);
ALTER TABLE `child` ADD CONSTRAINT `fk_ref` FOREIGN KEY (`parent_code`) REFERENCES `parent` (`ref`);
