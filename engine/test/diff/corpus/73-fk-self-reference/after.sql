CREATE TABLE node (
  id int NOT NULL,
  parent_id int,
  PRIMARY KEY (id),
  KEY fk_node_parent (parent_id),
  CONSTRAINT fk_node_parent FOREIGN KEY (parent_id) REFERENCES node (id) ON DELETE CASCADE
);
