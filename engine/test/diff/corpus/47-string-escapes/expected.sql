ALTER TABLE `t` MODIFY COLUMN `label` varchar(20) NOT NULL DEFAULT 'it''s' COMMENT 'say "hi"\\now';
