ALTER TABLE `events` partition by hash(id) partitions 4;
