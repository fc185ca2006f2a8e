ALTER TABLE `t` MODIFY COLUMN `tags` set('a','b','c') NOT NULL DEFAULT '';
