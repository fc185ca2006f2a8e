CREATE TABLE parent (
  id int NOT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE child (
  id int NOT NULL,
  parent_id int,
  PRIMARY KEY (id),
  KEY fk_c (parent_id),
  CONSTRAINT fk_c FOREIGN KEY (parent_id) REFERENCES parent (id)
);
