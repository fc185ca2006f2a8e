import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Table } from '../../src/schema/model.js';
import { normalizeSchema, normalizeTable, stripSources, type ServerDefaults } from '../../src/schema/normalize.js';
import { parseSchemaFile } from '../../src/schema/parse.js';

const MARIADB: ServerDefaults = { flavor: 'mariadb', charset: 'utf8mb4', collation: 'utf8mb4_general_ci', engine: 'InnoDB' };
const MYSQL: ServerDefaults = { flavor: 'mysql', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci', engine: 'InnoDB' };

function norm(sql: string, defaults = MARIADB): Table {
  const r = parseSchemaFile('t.sql', sql, { dialect: defaults.flavor });
  assert.deepEqual(r.problems, []);
  return stripSources(normalizeTable(r.tables[0], defaults));
}

const col = (t: Table, name: string) => t.columns.find((c) => c.name === name)!;

test('types: lower-case names, synonyms, integer display widths as declared or the server\'s default, bool, serial', () => {
  const t = norm('CREATE TABLE t (a INT(11), b INTEGER, c BOOL, d TINYINT(1), e INT(5) ZEROFILL, f SMALLINT ZEROFILL, g REAL, h DEC(5), i FLOAT(30), j YEAR(4), k CHAR, l BIT, m SERIAL, n NUMERIC)');
  assert.deepEqual(t.columns.map((c) => c.type), [
    { base: 'int', length: 11 },
    { base: 'int', length: 11 },
    { base: 'tinyint', length: 1 },
    { base: 'tinyint', length: 1 },
    { base: 'int', length: 5, unsigned: true, zerofill: true },
    { base: 'smallint', length: 5, unsigned: true, zerofill: true },
    { base: 'double' },
    { base: 'decimal', length: 5, scale: 0 },
    { base: 'double' },
    { base: 'year' },
    { base: 'char', length: 1 },
    { base: 'bit', length: 1 },
    { base: 'bigint', length: 20, unsigned: true },
    { base: 'decimal', length: 10, scale: 0 },
  ]);
  assert.equal(col(t, 'm').autoIncrement, true);
  assert.equal(col(t, 'm').nullable, false);
  assert.deepEqual(t.indexes, [{ name: 'm', kind: 'unique', parts: [{ column: 'm' }] }], 'SERIAL implies UNIQUE');
});

test('defaults: implicit NULL, numeric quoting, CURRENT_TIMESTAMP spellings, expression parentheses per flavor', () => {
  const sql = "CREATE TABLE t (a INT, b INT NOT NULL, c INT DEFAULT '5', d DECIMAL(6,2) DEFAULT 1.5, e DATETIME DEFAULT NOW(), f TIMESTAMP DEFAULT LOCALTIMESTAMP ON UPDATE now(), g VARCHAR(36) DEFAULT (uuid()), h INT DEFAULT (1 + 1), i DATE DEFAULT CURRENT_DATE, j DATETIME DEFAULT '2020-01-02', k INT AS (a + 1), l DOUBLE DEFAULT '0.10')";
  const m = norm(sql);
  assert.deepEqual(m.columns.map((c) => [c.name, c.default ?? null]), [
    ['a', 'NULL'], ['b', null], ['c', '5'], ['d', '1.50'], ['e', 'current_timestamp()'], ['f', 'current_timestamp()'],
    ['g', 'uuid()'], ['h', '(1 + 1)'], ['i', 'curdate()'], ['j', "'2020-01-02 00:00:00'"], ['k', null], ['l', '0.1'],
  ]);
  assert.equal(col(m, 'f').onUpdate, 'current_timestamp()');
  const y = norm(sql, MYSQL);
  assert.equal(col(y, 'g').default, '(uuid())', 'MySQL needs parentheses around expression defaults');
  assert.equal(col(y, 'i').default, '(curdate())');
});

test('charsets: inherited values are omitted, a charset implies its default collation, table defaults made explicit', () => {
  const t = norm('CREATE TABLE t (a VARCHAR(5), b VARCHAR(5) CHARACTER SET latin1, c VARCHAR(5) COLLATE utf8mb4_general_ci, d VARCHAR(5) CHARSET utf8mb4 COLLATE utf8mb4_bin, e INT, f VARCHAR(5) CHARACTER SET utf8, g VARCHAR(5) CHARACTER SET binary)');
  assert.deepEqual(t.options, { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_general_ci' });
  assert.deepEqual(t.columns.map((c) => [c.name, c.charset ?? null, c.collation ?? null]), [
    ['a', null, null], ['b', 'latin1', 'latin1_swedish_ci'], ['c', null, null], ['d', 'utf8mb4', 'utf8mb4_bin'], ['e', null, null],
    ['f', 'utf8mb3', 'utf8mb3_general_ci'], ['g', null, null],
  ]);
  assert.deepEqual(col(t, 'g').type, { base: 'varbinary', length: 5 });
  assert.deepEqual(norm('CREATE TABLE t (a INT) CHARSET latin1').options, { engine: 'InnoDB', charset: 'latin1', collation: 'latin1_swedish_ci' });
  assert.deepEqual(norm('CREATE TABLE t (a INT) COLLATE utf8mb4_bin').options, { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_bin' });
  assert.deepEqual(norm('CREATE TABLE t (a INT) CHARSET utf8mb4', MYSQL).options.collation, 'utf8mb4_0900_ai_ci');
  assert.equal(norm('CREATE TABLE t (a INT) ENGINE=myisam').options.engine, 'MyISAM');
});

test('keys: unnamed keys named after their first column in definition order, KEY = INDEX, PRIMARY and unique keys first, then as written', () => {
  const t = norm('CREATE TABLE t (a INT, b INT, c VARCHAR(10), KEY (A), UNIQUE (a), INDEX (a, b), KEY (c(10)), PRIMARY KEY (b))');
  assert.deepEqual(t.indexes, [
    { name: 'PRIMARY', kind: 'primary', parts: [{ column: 'b' }] },
    { name: 'a_2', kind: 'unique', parts: [{ column: 'a' }] },
    { name: 'a', kind: 'index', parts: [{ column: 'a' }] },
    { name: 'a_3', kind: 'index', parts: [{ column: 'a' }, { column: 'b' }] },
    { name: 'c', kind: 'index', parts: [{ column: 'c' }] },
  ]);
  assert.equal(col(t, 'b').nullable, false, 'a primary key column is NOT NULL');
  assert.equal(col(t, 'b').default, undefined);
});

test('foreign keys: unnamed ones are <table>_ibfk_N, RESTRICT is the default, the implicit index is added when nothing covers them', () => {
  const t = norm('CREATE TABLE t (id INT PRIMARY KEY, x INT, y INT, z INT, FOREIGN KEY (id) REFERENCES p (id), FOREIGN KEY (x) REFERENCES p (id) ON DELETE RESTRICT, KEY kx (x, y), CONSTRAINT fz FOREIGN KEY (z) REFERENCES p (id), FOREIGN KEY (y) REFERENCES p (id) ON UPDATE NO ACTION)');
  assert.deepEqual(t.foreignKeys.map((f) => [f.name, f.columns, f.onDelete ?? null, f.onUpdate ?? null]), [
    ['fz', ['z'], null, null],
    ['t_ibfk_1', ['id'], null, null],
    ['t_ibfk_2', ['x'], null, null],
    ['t_ibfk_3', ['y'], null, 'NO ACTION'],
  ]);
  assert.deepEqual(t.indexes.map((i) => i.name), ['PRIMARY', 'kx', 'fz', 'y'], 'an implicit key stands where its FOREIGN KEY clause does');
});

test('checks: MariaDB names unnamed table checks CONSTRAINT_N and keeps column checks; MySQL names all <table>_chk_N; JSON gets json_valid on MariaDB', () => {
  const sql = 'CREATE TABLE t (a INT CHECK (a > 0), j JSON, CHECK (a < 10), CONSTRAINT named CHECK (a <> 5))';
  // Order: table checks by name, then column checks by column.
  assert.deepEqual(norm(sql).checks, [
    { name: 'CONSTRAINT_1', expression: '`a` < 10' },
    { name: 'named', expression: '`a` <> 5' },
    { name: '', expression: '`a` > 0', column: 'a' },
    { name: '', expression: 'json_valid(`j`)', column: 'j' },
  ]);
  assert.deepEqual(col(norm(sql), 'j').type, { base: 'longtext' });
  assert.deepEqual(norm(sql, MYSQL).checks.map((c) => c.name), ['named', 't_chk_1', 't_chk_2']);
  assert.deepEqual(col(norm(sql, MYSQL), 'j').type, { base: 'json' });
});

test('identifier case in keys, foreign keys and expressions follows the column definition', () => {
  const t = norm('CREATE TABLE t (Id INT, Name VARCHAR(5), KEY (NAME), FOREIGN KEY (ID) REFERENCES p (id), CHECK (NAME <> \'\'))');
  assert.deepEqual(t.indexes.map((i) => [i.name, i.parts[0].column]), [['Name', 'Name'], ['Id', 'Id']]);
  assert.deepEqual(t.foreignKeys[0].columns, ['Id']);
  assert.equal(t.checks[0].expression, "`Name` <> ''");
});

test('normalization is idempotent, does not touch its input, and stripSources removes every range', () => {
  const r = parseSchemaFile('t.sql', 'CREATE TABLE t (a INT(11) PRIMARY KEY, b BOOL, KEY (b), FOREIGN KEY (b) REFERENCES p (a))');
  const before = JSON.stringify(r.tables[0]);
  const once = normalizeSchema({ tables: r.tables }, MARIADB);
  assert.equal(JSON.stringify(r.tables[0]), before);
  assert.deepEqual(normalizeSchema(once, MARIADB), once);
  assert.ok(!JSON.stringify(stripSources(once)).includes('"source"'));
  assert.ok(JSON.stringify(once).includes('"source"'), 'normalization keeps ranges for the editor');
});

test('the BINARY attribute is the _bin collation of the column\'s character set, as the server stores it', () => {
  const t = norm('CREATE TABLE t (a CHAR(3) BINARY, b VARCHAR(4) CHARACTER SET latin1 BINARY, c INT)');
  assert.deepEqual(t.columns.map((c) => [c.name, c.charset ?? null, c.collation ?? null]), [
    ['a', 'utf8mb4', 'utf8mb4_bin'],
    ['b', 'latin1', 'latin1_bin'],
    ['c', null, null],
  ]);
  assert.ok(t.columns.every((c) => c.binaryCollation === undefined));
});

test("a MySQL 5.7 executable comment (Sakila's address) is not part of the table on MariaDB, and is on MySQL", () => {
  const sql = 'CREATE TABLE address (address_id SMALLINT UNSIGNED NOT NULL, /*!50705 location GEOMETRY NOT NULL,*/ PRIMARY KEY (address_id) /*!50705 , SPATIAL KEY idx_location (location)*/)';
  const onMariadb = normalizeTable(parseSchemaFile('t.sql', sql).tables[0], MARIADB);
  assert.deepEqual([onMariadb.columns.map((c) => c.name), onMariadb.indexes.map((i) => i.name)], [['address_id'], ['PRIMARY']]);
  const onMysql = normalizeTable(parseSchemaFile('t.sql', sql, { server: { flavor: 'mysql', version: 80036 } }).tables[0], MYSQL);
  assert.deepEqual([onMysql.columns.map((c) => c.name), onMysql.indexes.map((i) => i.name)], [['address_id', 'location'], ['PRIMARY', 'idx_location']]);
});
