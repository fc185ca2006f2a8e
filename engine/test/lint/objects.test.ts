/**
 * Lint for views and triggers (issue 13): a missing table, a DEFINER naming an
 * account, SQL SECURITY DEFINER, a trigger writing to its own table; and no
 * finding for the functions and clauses whose FROM, INTO or UPDATE name no table.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSchema } from '../../src/lint/index.js';
import { tablesNamed } from '../../src/lint/rules/objects.js';
import { parseSchemaFiles } from '../../src/schema/parse.js';

const TABLES = `
CREATE TABLE film (film_id int NOT NULL PRIMARY KEY, title varchar(128) NOT NULL, release_year year DEFAULT NULL, last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE film_text (film_id int NOT NULL PRIMARY KEY, title varchar(255) NOT NULL);
CREATE TABLE category (category_id int NOT NULL PRIMARY KEY, name varchar(25) NOT NULL);
CREATE TABLE film_category (film_id int NOT NULL, category_id int NOT NULL, PRIMARY KEY (film_id, category_id));
`;

function lint(objects: string) {
  const { schema, problems } = parseSchemaFiles([
    { file: 'schema/main/tables.sql', text: TABLES },
    { file: 'schema/main/objects.sql', text: objects },
  ]);
  assert.deepEqual(problems.filter((p) => p.severity === 'error').map((p) => p.message), []);
  return lintSchema(schema, {}).map((v) => `${v.code} ${v.severity}`);
}

test('Sakila-like views and triggers that are fine give no finding', () => {
  const found = lint(`
CREATE VIEW film_list AS
  SELECT f.film_id, f.title, c.name AS category, EXTRACT(YEAR FROM f.last_update) AS touched, TRIM(LEADING ' ' FROM f.title) AS t
  FROM film f JOIN film_category fc ON fc.film_id = f.film_id JOIN category c ON c.category_id = fc.category_id;
CREATE VIEW recent AS WITH r AS (SELECT film_id FROM film_list) SELECT film_id FROM r;
DELIMITER ;;
CREATE TRIGGER ins_film AFTER INSERT ON film FOR EACH ROW BEGIN
  INSERT INTO film_text (film_id, title) VALUES (new.film_id, new.title) ON DUPLICATE KEY UPDATE title = new.title;
END;;
CREATE PROCEDURE counted(OUT n int) BEGIN SELECT COUNT(*) INTO n FROM film FOR UPDATE; END;;
DELIMITER ;
`);
  assert.deepEqual(found, []);
});

test('a missing table, a definer, SQL SECURITY DEFINER and a trigger writing its own table are each named', () => {
  const found = lint(`
CREATE VIEW stale AS SELECT id FROM film_archive;
CREATE DEFINER=\`root\`@\`localhost\` SQL SECURITY DEFINER VIEW titles AS SELECT title FROM film;
CREATE TRIGGER on_ghost AFTER INSERT ON ghost FOR EACH ROW SET @x = 1;
CREATE TRIGGER touch AFTER UPDATE ON film FOR EACH ROW UPDATE film SET last_update = NOW() WHERE film_id = new.film_id;
`);
  assert.deepEqual(found.sort(), ['object-definer warning', 'object-missing-table warning', 'object-missing-table warning', 'trigger-writes-own-table error', 'view-security-definer info'].sort());
});

test('tablesNamed reads the names a body queries or changes, not function arguments or variables', () => {
  assert.deepEqual(tablesNamed('SELECT a FROM t1 JOIN `t2` ON 1 WHERE b IN (SELECT c FROM t3) AND EXTRACT(YEAR FROM d) = 2020'), ['t1', 't2', 't3']);
  assert.deepEqual(tablesNamed('BEGIN SELECT x INTO v FROM other.t; INSERT INTO log VALUES (1) ON DUPLICATE KEY UPDATE n = n + 1; DELETE FROM queue; END'), ['log', 'queue']);
});
