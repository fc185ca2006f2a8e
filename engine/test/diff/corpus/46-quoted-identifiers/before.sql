CREATE TABLE `order` (
  `id` int NOT NULL,
  `select` int,
  PRIMARY KEY (`id`)
);
