ALTER TABLE `t` DROP INDEX `u`, ADD UNIQUE KEY `u` (`a`,`b`);
