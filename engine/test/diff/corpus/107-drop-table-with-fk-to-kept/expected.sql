DROP TABLE `child`;
