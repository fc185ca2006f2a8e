ALTER TABLE `t` DROP INDEX `u_a`, ADD KEY `u_a` (`a`);
