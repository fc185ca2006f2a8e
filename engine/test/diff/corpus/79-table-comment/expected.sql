ALTER TABLE `t` COMMENT='orders placed by customers';
