ALTER TABLE `t` ADD SPATIAL KEY `sp_pos` (`pos`);
