CREATE TABLE parent (
  a int NOT NULL,
  b int NOT NULL,
  PRIMARY KEY (a, b)
);
CREATE TABLE child (
  id int NOT NULL,
  pa int,
  pb int,
  PRIMARY KEY (id),
  KEY fk_pair (pa, pb),
  CONSTRAINT fk_pair FOREIGN KEY (pa, pb) REFERENCES parent (a, b) ON UPDATE CASCADE
);
