CREATE TABLE a (
  id int NOT NULL,
  b_id int,
  PRIMARY KEY (id),
  KEY fk_a_b (b_id),
  CONSTRAINT fk_a_b FOREIGN KEY (b_id) REFERENCES b (id)
);
CREATE TABLE b (
  id int NOT NULL,
  a_id int,
  PRIMARY KEY (id),
  KEY fk_b_a (a_id),
  CONSTRAINT fk_b_a FOREIGN KEY (a_id) REFERENCES a (id)
);
