ALTER TABLE `t` DROP INDEX `old_idx`, ADD KEY `new_idx` (`a`);
