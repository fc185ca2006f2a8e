ALTER TABLE `t` MODIFY COLUMN `full_name` varchar(41) GENERATED ALWAYS AS (concat(`last`,', ',`first`)) STORED;
