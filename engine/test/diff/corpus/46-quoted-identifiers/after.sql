CREATE TABLE `order` (
  `id` int NOT NULL,
  `select` int,
  `my col` int,
  `we``ird` varchar(5),
  PRIMARY KEY (`id`),
  KEY `key` (`select`, `my col`)
);
