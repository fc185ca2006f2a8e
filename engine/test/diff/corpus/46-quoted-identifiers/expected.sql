ALTER TABLE `order` ADD COLUMN `my col` int(11) DEFAULT NULL, ADD COLUMN `we``ird` varchar(5) DEFAULT NULL, ADD KEY `key` (`select`,`my col`);
