ALTER TABLE `t` ADD KEY `idx_title` (`title`(20));
