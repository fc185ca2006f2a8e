ALTER TABLE `t` ADD FULLTEXT KEY `ft_body` (`body`);
