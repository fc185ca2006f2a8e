ALTER TABLE `t` ADD COLUMN `age` smallint(5) unsigned DEFAULT NULL AFTER `name`;
