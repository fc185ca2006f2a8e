CREATE TABLE parent (
  id int NOT NULL,
  code varchar(10) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_code (code)
);
CREATE TABLE child (
  id int NOT NULL,
  parent_id int,
  PRIMARY KEY (id)
);
