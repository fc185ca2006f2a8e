CREATE TABLE events (
  id int NOT NULL,
  at datetime NOT NULL,
  PRIMARY KEY (id)
) PARTITION BY HASH (id) PARTITIONS 4;
