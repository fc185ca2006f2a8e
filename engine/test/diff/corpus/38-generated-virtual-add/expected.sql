ALTER TABLE `t` ADD COLUMN `total` decimal(12,2) GENERATED ALWAYS AS (`price` * `qty`) VIRTUAL;
