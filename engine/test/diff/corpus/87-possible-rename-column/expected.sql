ALTER TABLE `t` DROP COLUMN `fullname`, ADD COLUMN `display_name` varchar(100) NOT NULL;
