ALTER TABLE `t` DROP CONSTRAINT `chk_qty`, ADD CONSTRAINT `chk_qty` CHECK (`qty` between 0 and 1000);
