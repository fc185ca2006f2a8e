ALTER TABLE `t` ADD COLUMN `age` smallint unsigned DEFAULT NULL AFTER `name`;
