ALTER TABLE `t` ADD KEY `idx_ab` (`a`,`b` DESC);
