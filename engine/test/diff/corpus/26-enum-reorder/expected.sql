ALTER TABLE `t` MODIFY COLUMN `state` enum('paid','new') NOT NULL DEFAULT 'new';
