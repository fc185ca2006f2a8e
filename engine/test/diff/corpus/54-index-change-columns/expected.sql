ALTER TABLE `t` DROP INDEX `idx`, ADD KEY `idx` (`a`,`b`);
