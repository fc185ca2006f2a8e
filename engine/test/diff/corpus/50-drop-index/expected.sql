ALTER TABLE `t` DROP INDEX `idx_email`;
