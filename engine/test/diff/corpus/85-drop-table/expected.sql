DROP TABLE `old_stuff`;
