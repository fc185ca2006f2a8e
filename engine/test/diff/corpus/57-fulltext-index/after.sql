CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  body text,
  PRIMARY KEY (id),
  FULLTEXT KEY ft_body (body)
);
