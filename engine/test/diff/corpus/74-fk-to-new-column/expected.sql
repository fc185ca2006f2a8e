ALTER TABLE `parent` ADD COLUMN `alt` int(11) NOT NULL, ADD UNIQUE KEY `uq_alt` (`alt`);
ALTER TABLE `child` DROP COLUMN `parent_code`, ADD COLUMN `parent_alt` int(11) DEFAULT NULL, ADD KEY `k_alt` (`parent_alt`), ADD CONSTRAINT `fk_alt` FOREIGN KEY (`parent_alt`) REFERENCES `parent` (`alt`);
