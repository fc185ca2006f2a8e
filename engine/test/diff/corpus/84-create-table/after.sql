CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE audit_log (
  id bigint unsigned NOT NULL AUTO_INCREMENT,
  at datetime(6) NOT NULL DEFAULT current_timestamp(6),
  actor varchar(64) NOT NULL,
  payload json,
  PRIMARY KEY (id),
  KEY idx_actor_at (actor, at DESC)
) COMMENT='who did what';
