CREATE TABLE parent (
  id int NOT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE child (
  id int NOT NULL,
  parent_id int,
  PRIMARY KEY (id),
  KEY idx_parent_id (parent_id, id),
  CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
);
