ALTER TABLE `t` ADD KEY `idx_email` (`email`);
