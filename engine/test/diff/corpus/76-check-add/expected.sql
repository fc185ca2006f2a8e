ALTER TABLE `t` ADD CONSTRAINT `chk_qty` CHECK (`qty` >= 0);
