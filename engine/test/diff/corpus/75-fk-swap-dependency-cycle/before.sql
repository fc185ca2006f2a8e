CREATE TABLE parent (
  id int NOT NULL,
  code varchar(10) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_code (code)
);
CREATE TABLE child (
  id int NOT NULL,
  parent_code varchar(10),
  PRIMARY KEY (id),
  KEY k_code (parent_code),
  CONSTRAINT fk_code FOREIGN KEY (parent_code) REFERENCES parent (code)
);
