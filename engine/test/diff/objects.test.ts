import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffSchemas } from '../../src/diff/index.js';
import { parseSchemaFiles } from '../../src/schema/parse.js';

const schema = (text: string) => {
  const r = parseSchemaFiles([{ file: 'a.sql', text }]);
  assert.deepEqual(r.problems, []);
  return r.schema;
};
const statements = (from: string, to: string) => diffSchemas(schema(from), schema(to)).map((c) => [c.kind, c.class, c.statement]);

const BASE = `CREATE TABLE t (a int, b int);
CREATE VIEW v2 AS SELECT a FROM v1;
CREATE VIEW v1 AS SELECT a, b FROM t;
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.b = 1;
CREATE FUNCTION f() RETURNS int RETURN 1;
CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t`;

test('added objects are created after the tables, routines first, a view after the view it reads', () => {
  assert.deepEqual(statements('', BASE), [
    ['create_table', 'safe', 'CREATE TABLE `t` (\n  `a` int,\n  `b` int\n)'],
    ['create_object', 'safe', 'CREATE FUNCTION `f` () RETURNS int RETURN 1'],
    ['create_object', 'safe', 'CREATE VIEW `v1` AS SELECT a, b FROM t'],
    ['create_object', 'safe', 'CREATE VIEW `v2` AS SELECT a FROM v1'],
    ['create_object', 'safe', 'CREATE TRIGGER `tr` BEFORE INSERT ON t FOR EACH ROW SET NEW.b = 1'],
    ['create_object', 'safe', 'CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO DELETE FROM t'],
  ]);
  assert.deepEqual(statements(BASE, BASE.replace(/\n/g, '\n  ')), [], 'spacing alone is no change');
});

test('a changed view is replaced (safe); a changed trigger, routine or event is dropped before the tables change and created after', () => {
  const edited = BASE.replace('SELECT a, b FROM t', 'SELECT a, b, a + b AS s FROM t').replace('SET NEW.b = 1', 'SET NEW.b = 2').replace('RETURN 1', 'RETURN 2').replace('CREATE TABLE t (a int, b int)', 'CREATE TABLE t (a int, b int, c int)');
  assert.deepEqual(statements(BASE, edited), [
    ['drop_object', 'data-dependent', 'DROP TRIGGER `tr`'],
    ['drop_object', 'safe', 'DROP FUNCTION `f`'],
    ['alter_table', 'safe', 'ALTER TABLE `t` ADD COLUMN `c` int'],
    ['create_object', 'safe', 'CREATE FUNCTION `f` () RETURNS int RETURN 2'],
    ['replace_object', 'safe', 'CREATE OR REPLACE VIEW `v1` AS SELECT a, b, a + b AS s FROM t'],
    ['create_object', 'safe', 'CREATE TRIGGER `tr` BEFORE INSERT ON t FOR EACH ROW SET NEW.b = 2'],
  ]);
});

test('a removed object is dropped first, and is destructive', () => {
  const changes = diffSchemas(schema(BASE), schema('CREATE TABLE u (a int)'));
  assert.deepEqual(changes.map((c) => c.statement), ['DROP VIEW `v2`', 'DROP VIEW `v1`', 'DROP TRIGGER `tr`', 'DROP FUNCTION `f`', 'DROP EVENT `e`', 'CREATE TABLE `u` (\n  `a` int\n)', 'DROP TABLE `t`']);
  assert.deepEqual(changes.filter((c) => c.kind === 'drop_object').map((c) => [c.class, c.reasons[0].code]), Array(5).fill(['destructive', 'drop-object']));
});

test('a definer counts only when both sides name one', () => {
  const live = schema("CREATE DEFINER='root'@'localhost' VIEW v AS SELECT 1 AS x");
  assert.deepEqual(statements("CREATE DEFINER='root'@'localhost' VIEW v AS SELECT 1 AS x", 'CREATE VIEW v AS SELECT 1 AS x'), []);
  assert.deepEqual(statements('CREATE VIEW v AS SELECT 1 AS x', "CREATE DEFINER='root'@'localhost' VIEW v AS SELECT 1 AS x"), []);
  assert.equal(live.objects?.length, 1);
  assert.deepEqual(statements("CREATE DEFINER='root'@'localhost' VIEW v AS SELECT 1 AS x", "CREATE DEFINER='app'@'%' VIEW v AS SELECT 1 AS x"), [
    ['replace_object', 'safe', "CREATE OR REPLACE DEFINER='app'@'%' VIEW `v` AS SELECT 1 AS x"],
  ]);
});

test('a trigger is created after the trigger it FOLLOWS or PRECEDES, whatever the file order', () => {
  const text = `CREATE TABLE t (a int);
CREATE TRIGGER second BEFORE INSERT ON t FOR EACH ROW FOLLOWS first SET NEW.a = NEW.a * 2;
CREATE TRIGGER zeroth BEFORE INSERT ON t FOR EACH ROW PRECEDES first SET NEW.a = NEW.a + 0;
CREATE TRIGGER first BEFORE INSERT ON t FOR EACH ROW SET NEW.a = NEW.a + 1;`;
  assert.deepEqual(diffSchemas(schema(''), schema(text)).filter((c) => c.object).map((c) => c.object!.name), ['first', 'second', 'zeroth']);
});

test("files compared by their text: a view's * over a table whose columns change is redefined (the server stores the column list), COUNT(*) and an explicit list are not", () => {
  const before = `CREATE TABLE t (a int, b int);
CREATE VIEW every AS SELECT * FROM t;
CREATE VIEW qualified AS SELECT x.* FROM t x;
CREATE VIEW counted AS SELECT COUNT(*) AS n, a * 2 AS twice FROM t;
CREATE VIEW listed AS SELECT a, b FROM t;
CREATE VIEW over_view AS SELECT * FROM every;`;
  const added = before.replace('(a int, b int)', '(a int, b int, c int)');
  assert.deepEqual(
    diffSchemas(schema(before), schema(added)).map((c) => [c.kind, c.table]),
    [['alter_table', 't'], ['replace_object', 'every'], ['replace_object', 'qualified'], ['replace_object', 'over_view']],
  );
  assert.deepEqual(diffSchemas(schema(before), schema(before.replace('(a int, b int)', '(a int, b bigint)'))).map((c) => c.kind), ['alter_table'], 'a type change keeps the column list');
  const probed = (s: ReturnType<typeof schema>) => ({ ...s, objects: s.objects?.map((o) => ({ ...o, canonical: o.body })) });
  assert.deepEqual(diffSchemas(probed(schema(before)), probed(schema(added))).map((c) => c.kind), ['alter_table'], "with the server's text on both sides, that text decides");
});
