CREATE TABLE parent (
  id int NOT NULL,
  ref varchar(10) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_ref (ref)
);
CREATE TABLE child (
  id int NOT NULL,
  parent_code varchar(10),
  PRIMARY KEY (id),
  KEY k_code (parent_code),
  CONSTRAINT fk_ref FOREIGN KEY (parent_code) REFERENCES parent (ref)
);
