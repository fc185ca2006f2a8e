CREATE TABLE parent (
  id int NOT NULL,
  code varchar(10) NOT NULL,
  alt int NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_code (code),
  UNIQUE KEY uq_alt (alt)
);
CREATE TABLE child (
  id int NOT NULL,
  parent_alt int,
  PRIMARY KEY (id),
  KEY k_alt (parent_alt),
  CONSTRAINT fk_alt FOREIGN KEY (parent_alt) REFERENCES parent (alt)
);
