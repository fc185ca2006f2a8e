ALTER TABLE `t` DROP INDEX `idx`, ADD KEY `idx` (`a`) COMMENT 'lookup by a';
