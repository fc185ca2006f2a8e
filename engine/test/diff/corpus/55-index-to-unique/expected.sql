ALTER TABLE `t` DROP INDEX `idx`, ADD UNIQUE KEY `idx` (`a`);
