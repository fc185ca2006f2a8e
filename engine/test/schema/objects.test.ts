import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseSchemaFile, parseSchemaFiles } from '../../src/schema/parse.js';
import { splitStatements } from '../../src/schema/split.js';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'objects', name), 'utf8');
const textOf = (src: string) => splitStatements(src).statements.map((s) => src.slice(s.start, s.end));
const errors = (src: string) => parseSchemaFile('f.sql', src).problems.filter((p) => p.severity === 'error');

test('DELIMITER $$ keeps the ; of a body inside its statement, also when glued to END', () => {
  const parts = textOf(fixture('routines.sql'));
  assert.equal(parts.length, 3);
  assert.match(parts[0], /^CREATE TRIGGER customer_create_date[\s\S]*'insert'\);\nEND$/);
  assert.match(parts[1], /^CREATE PROCEDURE film_in_stock[\s\S]*INTO p_film_count;\nEND$/);
  assert.match(parts[2], /^CREATE FUNCTION[\s\S]*RETURN v_balance;\nEND$/);
});

test("dump files' DELIMITER ;; and a delimiter inside a string", () => {
  const src = "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT ';;'; SELECT 1; END ;;\nDELIMITER ;\nCREATE TABLE t (a int);";
  assert.deepEqual(textOf(src), ["CREATE PROCEDURE p() BEGIN SELECT ';;'; SELECT 1; END", 'CREATE TABLE t (a int)']);
});

test('a file holding just the statement: BEGIN ... END blocks, END IF and CASE keep their ;', () => {
  const src = 'CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW BEGIN IF NEW.a > 1 THEN SET NEW.b = CASE WHEN NEW.a > 2 THEN 1 ELSE 0 END; END IF; BEGIN SET @x = 1; END; END;\nCREATE TABLE y (a int)';
  assert.deepEqual(textOf(src), [src.slice(0, src.indexOf(';\nCREATE TABLE')), 'CREATE TABLE y (a int)']);
  // A one-statement body needs no BEGIN: its ; ends it.
  assert.deepEqual(textOf('CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1; CREATE TABLE y (a int)'), ['CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1', 'CREATE TABLE y (a int)']);
  // A column named begin does not hold a CREATE TABLE open.
  assert.deepEqual(textOf('CREATE TABLE a (`x` int, begin int); CREATE TABLE b (c int)'), ['CREATE TABLE a (`x` int, begin int)', 'CREATE TABLE b (c int)']);
});

test('Sakila-like views, trigger, procedure, function and event become plain model objects', () => {
  const files = ['tables.sql', 'views.sql', 'routines.sql', 'event.sql'].map((f) => ({ file: f, text: fixture(f) }));
  const { schema, problems } = parseSchemaFiles(files);
  assert.deepEqual(problems, []);
  assert.equal(schema.tables.length, 7);
  const objects = schema.objects ?? [];
  assert.deepEqual(objects.map((o) => `${o.kind} ${o.name}`), ['view film_list', 'view cheap_film_list', 'trigger customer_create_date', 'procedure film_in_stock', 'function get_customer_balance', 'event count_customers']);
  const [filmList, , trigger, proc, fn, event] = objects;
  assert.equal(filmList.clauses, 'ALGORITHM=UNDEFINED SQL SECURITY INVOKER');
  assert.match(filmList.body, /^AS\nSELECT film\.film_id AS FID[\s\S]*film\.film_id$/);
  assert.deepEqual(trigger.trigger, { table: 'customer', timing: 'BEFORE', event: 'INSERT' });
  assert.match(trigger.body, /^BEFORE INSERT ON customer FOR EACH ROW\nBEGIN[\s\S]*END$/);
  assert.match(proc.body, /^\(IN p_film_id INT, IN p_store_id INT, OUT p_film_count INT\)\nREADS SQL DATA\nBEGIN/);
  assert.match(fn.body, /RETURNS DECIMAL\(5,2\)/);
  assert.match(event.body, /^ON SCHEDULE EVERY 1 DAY\nDO\n  INSERT INTO daily_stats[\s\S]*VALUES\(customers\)$/);
  assert.equal(trigger.nameSource?.range.start.line, 2);
  assert.equal(filmList.definer, undefined);
});

test('DEFINER, OR REPLACE, IF NOT EXISTS and FOLLOWS are read; CURRENT_USER names no account', () => {
  const src = [
    "CREATE OR REPLACE DEFINER='app'@'%' TRIGGER IF NOT EXISTS t2 AFTER UPDATE ON `x` FOR EACH ROW FOLLOWS t1 SET @n = 1;",
    'CREATE DEFINER=root@localhost VIEW v AS SELECT 1 AS one;',
    'CREATE DEFINER=CURRENT_USER() FUNCTION f() RETURNS int RETURN 1;',
  ].join('\n');
  const { objects, problems } = parseSchemaFile('f.sql', src);
  assert.deepEqual(problems, []);
  assert.deepEqual(objects[0].definer, { user: 'app', host: '%' });
  assert.deepEqual(objects[0].trigger, { table: 'x', timing: 'AFTER', event: 'UPDATE', order: { position: 'FOLLOWS', trigger: 't1' } });
  assert.equal(objects[0].clauses, '');
  assert.deepEqual(objects[1].definer, { user: 'root', host: 'localhost' });
  assert.equal(objects[2].definer, undefined);
});

test('a malformed header is an error at the token; other statements keep the old error', () => {
  const src = 'CREATE TRIGGER t BEFORE INSERT customer FOR EACH ROW SET NEW.a = 1';
  const [e] = errors(src);
  assert.equal(e.code, 'syntax-error');
  assert.equal(e.range.start.offset, src.indexOf('customer'));
  assert.deepEqual(e.expected, ['ON']);
  const cases: Array<[string, string]> = [
    ['CREATE TRIGGER t DURING INSERT ON x FOR EACH ROW SET @a = 1', 'DURING'],
    ['CREATE VIEW v SELECT 1', 'SELECT'],
    ['CREATE ALGORITHM=FAST VIEW v AS SELECT 1', 'FAST'],
    ['CREATE FUNCTION f() int RETURN 1', 'int'],
    ['CREATE PROCEDURE p BEGIN END', 'BEGIN'],
    ['CREATE EVENT e EVERY 1 DAY DO SELECT 1', 'EVERY'],
    ['CREATE ALGORITHM=MERGE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET @a = 1', 'ALGORITHM'],
  ];
  for (const [sql, at] of cases) {
    const [first] = errors(sql);
    assert.ok(first, sql);
    assert.equal(first.range.start.offset, sql.indexOf(at), `${sql}: ${first.message}`);
  }
  const other = parseSchemaFile('f.sql', 'CREATE INDEX i ON t (a)').problems;
  assert.deepEqual(other.map((p) => [p.code, p.severity]), [['not-create-table', 'error']]);
  assert.deepEqual(parseSchemaFile('f.sql', 'CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET @a = 1').objects.length, 1);
});

test('an object named like a table or another object of its namespace is a duplicate', () => {
  const { schema, problems } = parseSchemaFiles([
    { file: 'a.sql', text: 'CREATE TABLE t (a int); CREATE VIEW t AS SELECT 1 AS a; CREATE PROCEDURE t() SELECT 1;' },
    { file: 'b.sql', text: 'CREATE PROCEDURE T() SELECT 2;' },
  ]);
  assert.deepEqual(problems.map((p) => [p.file, p.code, p.range.start.offset]), [['a.sql', 'duplicate-object', 36], ['b.sql', 'duplicate-object', 17]]);
  assert.deepEqual(schema.objects?.map((o) => `${o.kind} ${o.name}`), ['procedure t']);
});

test("the server's text made comparable: no definer, own-database qualifiers or event STARTS; runnable text keeps its spacing", async () => {
  const { canonicalObjectText, withoutOwnDatabase } = await import('../../src/schema/object-text.js');
  const view = 'CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v` AS select `db1`.`t`.`a` AS `a`,`other`.`u`.`b` AS `b` from (`db1`.`t` join `other`.`u`)';
  assert.equal(canonicalObjectText(view, 'db1'), 'CREATE ALGORITHM = UNDEFINED SQL SECURITY DEFINER VIEW v AS select t . a AS a , other . u . b AS b from ( t join other . u )');
  assert.equal(withoutOwnDatabase(view, 'db1'), 'CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v` AS select `t`.`a` AS `a`,`other`.`u`.`b` AS `b` from (`t` join `other`.`u`)');
  const event = "CREATE DEFINER=`root`@`localhost` EVENT `e` ON SCHEDULE EVERY 1 DAY STARTS '2026-11-30 18:00:00' ON COMPLETION NOT PRESERVE ENABLE DO DELETE FROM `t`";
  assert.equal(canonicalObjectText(event, 'db1'), 'CREATE EVENT e ON SCHEDULE EVERY 1 DAY ON COMPLETION NOT PRESERVE ENABLE DO DELETE FROM t');
});

test("mysqldump's objects: executable comments around CREATE, DEFINER and the body, DELIMITER ;;", () => {
  const src = [
    '/*!50003 SET @saved_cs_client = @@character_set_client */ ;',
    'DELIMITER ;;',
    "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `customer_create_date` BEFORE INSERT ON `customer` FOR EACH ROW SET NEW.create_date = NOW() */;;",
    'DELIMITER ;',
    '/*!50001 CREATE ALGORITHM=UNDEFINED */',
    '/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */',
    '/*!50001 VIEW `film_list` AS select `film`.`film_id` AS `FID` from `film` */;',
  ].join('\n');
  const { objects, problems } = parseSchemaFile('dump.sql', src);
  assert.deepEqual(problems.map((p) => [p.code, p.severity]), [['not-create-table', 'warning']]);
  assert.deepEqual(objects.map((o) => [o.kind, o.name, o.clauses, o.definer?.user]), [
    ['trigger', 'customer_create_date', '', 'root'],
    ['view', 'film_list', 'ALGORITHM=UNDEFINED SQL SECURITY DEFINER', 'root'],
  ]);
  assert.equal(objects[0].body, 'BEFORE INSERT ON `customer` FOR EACH ROW SET NEW.create_date = NOW()');
  assert.equal(objects[1].body, 'AS select `film`.`film_id` AS `FID` from `film`');
});

test('a hostile file of delimiters and blocks splits in linear time', () => {
  const many = `DELIMITER $$\n${'CREATE PROCEDURE p() BEGIN SELECT 1; END$$'.repeat(20000)}`;
  let started = Date.now();
  assert.equal(splitStatements(many).statements.length, 20000);
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  const deep = `CREATE PROCEDURE p() ${'BEGIN '.repeat(50000)}${'SELECT 1; '.repeat(50000)}`;
  started = Date.now();
  assert.equal(splitStatements(deep).statements.length, 1);
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
});

test('an event statement with its status set: a probe creates events disabled and gives the printed text the file status back', async () => {
  const { eventStatus, withEventStatus } = await import('../../src/schema/object-text.js');
  assert.equal(withEventStatus('CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t', 'DISABLE'), 'CREATE EVENT e ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM t');
  assert.equal(withEventStatus("CREATE EVENT e ON SCHEDULE EVERY 1 DAY ON COMPLETION PRESERVE ENABLE COMMENT 'x' DO SELECT 'ENABLE'", 'DISABLE'), "CREATE EVENT e ON SCHEDULE EVERY 1 DAY ON COMPLETION PRESERVE  DISABLE COMMENT 'x' DO SELECT 'ENABLE'");
  assert.equal(withEventStatus('CREATE EVENT e ON SCHEDULE EVERY 1 DAY DISABLE ON SLAVE DO SELECT 1', 'ENABLE'), 'CREATE EVENT e ON SCHEDULE EVERY 1 DAY  ENABLE DO SELECT 1');
  assert.equal(withEventStatus('CREATE VIEW v AS SELECT 1', 'DISABLE'), 'CREATE VIEW v AS SELECT 1');
  assert.deepEqual(['CREATE EVENT e ON SCHEDULE AT NOW() DO SELECT 1', 'CREATE EVENT e ON SCHEDULE AT NOW() DISABLE DO SELECT 1', 'CREATE EVENT e ON SCHEDULE AT NOW() DISABLE ON SLAVE DO SELECT 1'].map(eventStatus), ['ENABLE', 'DISABLE', 'DISABLE ON SLAVE']);
});

test("an event's AT, STARTS and ENDS: literals are kept for comparing, expressions are not, and both leave the canonical text", async () => {
  const { canonicalObjectText } = await import('../../src/schema/object-text.js');
  const src = "CREATE EVENT e ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' ENDS CURRENT_TIMESTAMP + INTERVAL 1 YEAR ON COMPLETION PRESERVE DO DELETE FROM t";
  const [event] = parseSchemaFile('e.sql', src).objects;
  assert.deepEqual(event.schedule, { starts: '2030-01-01 00:00:00' });
  assert.equal(canonicalObjectText(src, 'db'), 'CREATE EVENT e ON SCHEDULE EVERY 1 DAY ON COMPLETION PRESERVE DO DELETE FROM t');
  const [once] = parseSchemaFile('e.sql', "CREATE EVENT e ON SCHEDULE AT '2030-01-01 00:00:00' DO SELECT 1").objects;
  assert.deepEqual(once.schedule, { at: '2030-01-01 00:00:00' });
  const { diffSchemas } = await import('../../src/diff/index.js');
  const schema = (starts: string) => parseSchemaFiles([{ file: 'e.sql', text: `CREATE EVENT e ON SCHEDULE EVERY 1 DAY ${starts} DO DELETE FROM t` }]).schema;
  assert.equal(diffSchemas(schema("STARTS '2030-01-01 00:00:00'"), schema('')).length, 0, 'a file without STARTS takes any');
  assert.deepEqual(diffSchemas(schema("STARTS '2030-01-01 00:00:00'"), schema("STARTS '2031-01-01 00:00:00'")).map((c) => c.kind), ['drop_object', 'create_object']);
});

test('a column named begin does not hold a routine written without DELIMITER open', () => {
  const src = 'CREATE PROCEDURE p() SELECT begin, t.begin FROM t WHERE begin = 1;\nCREATE TABLE t (begin int);\nCREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.begin = 1; END;\nCREATE TABLE u (a int)';
  assert.deepEqual(textOf(src), [
    'CREATE PROCEDURE p() SELECT begin, t.begin FROM t WHERE begin = 1',
    'CREATE TABLE t (begin int)',
    'CREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.begin = 1; END',
    'CREATE TABLE u (a int)',
  ]);
});
