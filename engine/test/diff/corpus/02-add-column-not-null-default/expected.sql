ALTER TABLE `t` ADD COLUMN `stage` varchar(20) NOT NULL DEFAULT 'new';
