ALTER TABLE `child` DROP INDEX `idx_parent`, ADD KEY `idx_parent_id` (`parent_id`,`id`);
