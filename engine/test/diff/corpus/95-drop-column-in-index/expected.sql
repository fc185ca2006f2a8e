ALTER TABLE `t` DROP INDEX `idx_ab`, DROP COLUMN `b`, ADD KEY `idx_ab` (`a`);
