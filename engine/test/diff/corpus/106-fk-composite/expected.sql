ALTER TABLE `child` ADD KEY `fk_pair` (`pa`,`pb`), ADD CONSTRAINT `fk_pair` FOREIGN KEY (`pa`,`pb`) REFERENCES `parent` (`a`,`b`) ON UPDATE CASCADE;
