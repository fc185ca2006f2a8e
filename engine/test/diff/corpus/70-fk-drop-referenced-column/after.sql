CREATE TABLE parent (
  id int NOT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE child (
  id int NOT NULL,
  parent_code varchar(10),
  PRIMARY KEY (id),
  KEY k_code (parent_code)
);
