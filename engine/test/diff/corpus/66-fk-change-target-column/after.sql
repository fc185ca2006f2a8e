CREATE TABLE parent (
  id int NOT NULL,
  code varchar(10) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_code (code)
);
CREATE TABLE child (
  id int NOT NULL,
  parent_code varchar(10),
  parent_id int,
  PRIMARY KEY (id),
  KEY k_code (parent_code),
  KEY k_pid (parent_id),
  CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL
);
