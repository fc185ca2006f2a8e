ALTER TABLE `t` ADD UNIQUE KEY `uq_email` (`email`);
