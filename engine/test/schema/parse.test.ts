import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Table } from '../../src/schema/model.js';
import { parseSchemaFile, parseSchemaFiles } from '../../src/schema/parse.js';
import { stripSources } from '../../src/schema/normalize.js';

function one(sql: string, dialect?: 'mariadb' | 'mysql'): Table {
  const r = parseSchemaFile('t.sql', sql, { dialect });
  assert.deepEqual(r.problems, [], 'no problems expected');
  assert.equal(r.tables.length, 1);
  return stripSources(r.tables[0]);
}

test('columns: types with length, scale, unsigned, zerofill, enum values; nullability; auto_increment', () => {
  const t = one(`CREATE TABLE t (
    id BIGINT(20) UNSIGNED NOT NULL AUTO_INCREMENT,
    price DECIMAL(10,2) ZEROFILL,
    state ENUM('a','b c','it''s') NOT NULL,
    flags SET('x','y'),
    n INT NULL,
    dp DOUBLE PRECISION,
    v VARCHAR(255)
  )`);
  assert.deepEqual(t.columns.map((c) => [c.name, c.type, c.nullable, c.autoIncrement]), [
    ['id', { base: 'bigint', length: 20, unsigned: true }, false, true],
    ['price', { base: 'decimal', length: 10, scale: 2, zerofill: true }, true, false],
    ['state', { base: 'enum', values: ['a', 'b c', "it's"] }, false, false],
    ['flags', { base: 'set', values: ['x', 'y'] }, true, false],
    ['n', { base: 'int' }, true, false],
    ['dp', { base: 'double precision' }, true, false],
    ['v', { base: 'varchar', length: 255 }, true, false],
  ]);
});

test('columns: defaults as canonical SQL text, ON UPDATE, charset, collation, comment, generated, invisible', () => {
  const t = one(`CREATE TABLE t (
    a VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT 'x''y' COMMENT 'the a',
    b INT DEFAULT -5,
    c TIMESTAMP(6) NOT NULL DEFAULT NOW(6) ON UPDATE CURRENT_TIMESTAMP(6),
    d DATETIME DEFAULT CURRENT_TIMESTAMP,
    e VARCHAR(36) DEFAULT (UUID()),
    f TINYINT DEFAULT TRUE,
    g INT DEFAULT NULL,
    h BIT(3) DEFAULT b'101',
    i INT AS (b * 2) STORED,
    j INT GENERATED ALWAYS AS ((b+1)) VIRTUAL,
    k INT INVISIBLE,
    l VARCHAR(5) CHARSET utf8mb4
  )`);
  const c = Object.fromEntries(t.columns.map((x) => [x.name, x]));
  assert.equal(c.a.default, "'x''y'");
  assert.equal(c.a.charset, 'latin1');
  assert.equal(c.a.collation, 'latin1_bin');
  assert.equal(c.a.comment, 'the a');
  assert.equal(c.b.default, '-5');
  assert.equal(c.c.default, 'current_timestamp(6)');
  assert.equal(c.c.onUpdate, 'current_timestamp(6)');
  assert.equal(c.d.default, 'current_timestamp()');
  assert.equal(c.e.default, '(uuid())');
  assert.equal(c.f.default, '1');
  assert.equal(c.g.default, 'NULL');
  assert.equal(c.h.default, "b'101'");
  assert.deepEqual(c.i.generated, { expression: '`b` * 2', stored: true });
  assert.deepEqual(c.j.generated, { expression: '`b` + 1', stored: false });
  assert.equal(c.k.invisible, true);
  assert.equal(c.l.charset, 'utf8mb4');
});

test('keys: primary, unique, secondary, fulltext, spatial; prefix lengths, DESC, USING, comments, inline keys', () => {
  const t = one(`CREATE TABLE t (
    id INT NOT NULL PRIMARY KEY,
    email VARCHAR(200) UNIQUE,
    name VARCHAR(100),
    body TEXT,
    g POINT NOT NULL,
    UNIQUE KEY uq_name (name(20), id DESC),
    KEY idx_name USING HASH (name) COMMENT 'lookup',
    INDEX (id, name(5)),
    FULLTEXT KEY ft (body),
    SPATIAL INDEX sp (g),
    KEY inv (name) INVISIBLE
  )`);
  assert.deepEqual(t.indexes, [
    { name: 'PRIMARY', kind: 'primary', parts: [{ column: 'id' }] },
    { name: '', kind: 'unique', parts: [{ column: 'email' }] },
    { name: 'uq_name', kind: 'unique', parts: [{ column: 'name', length: 20 }, { column: 'id', descending: true }] },
    { name: 'idx_name', kind: 'index', parts: [{ column: 'name' }], using: 'hash', comment: 'lookup' },
    { name: '', kind: 'index', parts: [{ column: 'id' }, { column: 'name', length: 5 }] },
    { name: 'ft', kind: 'fulltext', parts: [{ column: 'body' }] },
    { name: 'sp', kind: 'spatial', parts: [{ column: 'g' }] },
    { name: 'inv', kind: 'index', parts: [{ column: 'name' }], invisible: true },
  ]);
});

test('foreign keys with ON DELETE / ON UPDATE, named and unnamed; CHECK constraints; functional key parts', () => {
  const t = one(`CREATE TABLE t (
    a INT, b INT, c INT CHECK (c > 0),
    CONSTRAINT fk_a FOREIGN KEY (a, b) REFERENCES p (x, y) ON DELETE SET NULL ON UPDATE CASCADE,
    FOREIGN KEY (b) REFERENCES q (id),
    FOREIGN KEY ix (c) REFERENCES r (id) ON DELETE NO ACTION ON UPDATE SET DEFAULT,
    CONSTRAINT pos CHECK (a >= 0 AND b % 2 = 0),
    CHECK (a IS NOT NULL) NOT ENFORCED,
    KEY fn ((a + b), c)
  )`, 'mysql');
  assert.deepEqual(t.foreignKeys, [
    { name: 'fk_a', columns: ['a', 'b'], refTable: 'p', refColumns: ['x', 'y'], onDelete: 'SET NULL', onUpdate: 'CASCADE' },
    { name: '', columns: ['b'], refTable: 'q', refColumns: ['id'] },
    { name: 'ix', columns: ['c'], refTable: 'r', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'SET DEFAULT' },
  ]);
  assert.deepEqual(t.checks, [
    { name: '', expression: '`c` > 0', column: 'c' },
    { name: 'pos', expression: '`a` >= 0 and `b` mod 2 = 0' },
    { name: '', expression: '`a` is not null', notEnforced: true },
  ]);
  assert.deepEqual(t.indexes[0].parts, [{ column: '', expression: '`a` + `b`' }, { column: 'c' }]);
});

test('table options: engine, charset, collation, comment, row format, others; AUTO_INCREMENT is not schema', () => {
  const t = one("CREATE TABLE t (a INT) ENGINE = InnoDB AUTO_INCREMENT=9 DEFAULT CHARACTER SET = utf8mb4 COLLATE utf8mb4_bin COMMENT 'c' ROW_FORMAT=compressed KEY_BLOCK_SIZE=8 STATS_PERSISTENT 0");
  assert.deepEqual(t.options, { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_bin', comment: 'c', rowFormat: 'COMPRESSED', other: { KEY_BLOCK_SIZE: '8', STATS_PERSISTENT: '0' } });
});

test('expressions print the same whatever the spelling: parentheses, operator synonyms, case, spacing', () => {
  const variants = [
    'CHECK ((qty % 2) = 0 && NOT (name <=> NULL))',
    'check (qty MOD 2=0 AND not (`name`<=>null))',
    'CHECK (((`qty` mod 2) = 0) and (not((`name` <=> NULL))))',
  ];
  const texts = variants.map((v) => one(`CREATE TABLE t (qty INT, name TEXT, ${v})`).checks[0].expression);
  assert.deepEqual(texts, Array(3).fill('`qty` mod 2 = 0 and not `name` <=> null'));
  const t = one("CREATE TABLE t (a INT, b VARCHAR(9), CHECK (a - (a - 1) > 0 OR b IN ('x', 'y') AND b NOT LIKE 'z%' OR a BETWEEN 1 AND 2))");
  assert.equal(t.checks[0].expression, "`a` - (`a` - 1) > 0 or `b` in ('x','y') and `b` not like 'z%' or `a` between 1 and 2");
});

test('source ranges: 0-based lines and characters plus file offsets, for table, name, columns, keys', () => {
  const src = '-- header\nCREATE TABLE `users` (\n  id INT NOT NULL,\n  KEY k (id)\n);\n';
  const r = parseSchemaFile('users.sql', src);
  const t = r.tables[0];
  assert.deepEqual(t.source, { file: 'users.sql', range: { start: { line: 1, character: 0, offset: 10 }, end: { line: 4, character: 1, offset: 66 } } });
  assert.deepEqual(t.nameSource?.range, { start: { line: 1, character: 13, offset: 23 }, end: { line: 1, character: 20, offset: 30 } });
  assert.equal(src.slice(t.nameSource!.range.start.offset, t.nameSource!.range.end.offset), '`users`');
  const col = t.columns[0].source!.range;
  assert.equal(src.slice(col.start.offset, col.end.offset), 'id INT NOT NULL');
  assert.deepEqual([col.start.line, col.start.character], [2, 2]);
  const key = t.indexes[0].source!.range;
  assert.equal(src.slice(key.start.offset, key.end.offset), 'KEY k (id)');
});

test('a syntax error names the line, the column and what was expected, at the exact token', () => {
  const src = 'CREATE TABLE t (\n  a INT,\n  b INT DEFAULT 1 2\n);';
  const r = parseSchemaFile('t.sql', src);
  assert.equal(r.tables.length, 0);
  assert.equal(r.problems.length, 1);
  const p = r.problems[0];
  assert.equal(p.kind, 'syntax');
  assert.equal(p.severity, 'error');
  assert.deepEqual(p.range, { start: { line: 2, character: 18, offset: 44 }, end: { line: 2, character: 19, offset: 45 } });
  assert.match(p.message, /^Syntax error at line 3, column 19: expected .*NOT NULL.* but found '2'\.$/);
  assert.ok(p.expected?.includes('COMMENT'));
  assert.ok(!p.expected?.some((e) => e === '/*' || e === '--' || e.trim() === ''), 'whitespace and comment openers are not expectations');
});

test('a missing comma is reported at the next column name', () => {
  const r = parseSchemaFile('t.sql', 'CREATE TABLE t (\n  a INT\n  b INT\n)');
  assert.equal(r.problems[0].kind, 'syntax');
  assert.deepEqual([r.problems[0].range.start.line, r.problems[0].range.start.character], [2, 2]);
  assert.match(r.problems[0].message, /found 'b'/);
});

test("schemabranch's own checks also point at the token: unknown type, bad expression, reserved word, missing value", () => {
  const cases: Array<[string, string, RegExp]> = [
    ['CREATE TABLE t (a VARCHR(10))', 'VARCHR', /not a MySQL or MariaDB data type/],
    ['CREATE TABLE t (a INT, CHECK (a >))', ')', /expected an expression but found '\)'/],
    ['CREATE TABLE t (select INT)', 'select', /reserved word/],
    ['CREATE TABLE t (a INT DEFAULT)', ')', /expected a value after DEFAULT/],
    ['CREATE TABLE t (a INT) ENGINE=', '', /expected a value for ENGINE/],
    ['CREATE TABEL t (a INT)', 'TABEL', /expected TABLE after CREATE/],
    ['CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES p (id) ON DELETE EXPLODE)', 'EXPLODE', /expected RESTRICT, CASCADE/],
  ];
  for (const [src, token, message] of cases) {
    const r = parseSchemaFile('t.sql', src);
    assert.equal(r.tables.length, 0, src);
    const p = r.problems[0];
    assert.equal(p.kind, 'syntax', src);
    assert.match(p.message, message, src);
    if (token) assert.equal(src.slice(p.range.start.offset, p.range.end.offset), token, src);
  }
});

test('one bad statement does not hide the others in the same file', () => {
  const r = parseSchemaFile('t.sql', 'CREATE TABLE a (x INT);\nCREATE TABLE b (y INT DEFAULT 1 2);\nCREATE TABLE c (z INT);');
  assert.deepEqual(r.tables.map((t) => t.name), ['a', 'c']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].range.start.line, 1);
});

test('unterminated strings and comments are syntax problems, never throws; earlier tables survive', () => {
  const r = parseSchemaFile('t.sql', "CREATE TABLE a (x INT);\nCREATE TABLE b (y VARCHAR(3) DEFAULT 'oops);");
  assert.deepEqual(r.tables.map((t) => t.name), ['a']);
  assert.equal(r.problems[0].code, 'unterminated-string');
  assert.deepEqual(r.problems[0].range.start, { line: 1, character: 37, offset: 61 });
});

test('junk input gives problems, not exceptions: binary bytes, lone surrogates, deep nesting, empty files', () => {
  const junk: string[] = [
    '',
    '   \n\n-- only a comment\n',
    ';;;;',
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    '\uD800\uDC00\uD800 CREATE TABLE \uDFFF (a INT)',
    'CREATE TABLE t (a INT CHECK (' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '))',
    'CREATE TABLE t (a INT DEFAULT (' + '('.repeat(20000) + ')',
    'CREATE TABLE t (' + 'a INT, '.repeat(2000) + ')',
    '\0\0\0CREATE\0TABLE',
    "CREATE TABLE t (a ENUM(",
  ];
  for (const text of junk) {
    const r = parseSchemaFile('junk.sql', text);
    assert.ok(Array.isArray(r.tables) && Array.isArray(r.problems));
    for (const p of r.problems) {
      assert.ok(p.range.start.offset <= text.length && p.range.end.offset <= text.length);
      assert.ok(p.message.length > 0);
    }
  }
  // Random bytes stop at a bounded number of problems.
  const noise = parseSchemaFile('noise.sql', Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919 + (i >> 3)) % 256)).toString('latin1').replace(/['"`]/g, ';'));
  assert.ok(noise.problems.length <= 501);
  // Not even a non-string sneaks an exception out.
  const r = parseSchemaFile('junk.sql', undefined as unknown as string);
  assert.ok(Array.isArray(r.problems));
});

test('a 10 MB file parses without throwing', () => {
  const one = 'CREATE TABLE t_%d (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL DEFAULT \'\', KEY (name));\n';
  let text = '';
  for (let i = 0; text.length < 10_000_000; i++) text += one.replace('%d', String(i)) + '-- ' + 'x'.repeat(20000) + '\n';
  const r = parseSchemaFile('big.sql', text);
  assert.equal(r.problems.length, 0);
  assert.ok(r.tables.length > 400);
});

test("valid DDL node-sql-parser cannot read is reported as schemabranch's gap, and the table is still read", () => {
  const cases: Array<[string, string]> = [
    ['CREATE TABLE t (g POINT NOT NULL SRID 4326, SPATIAL KEY (g))', 'unsupported-srid'],
    ['CREATE TABLE t (id INT) PARTITION BY HASH(id) PARTITIONS 4', 'unsupported-partition'],
    ['CREATE TABLE t (b BLOB COMPRESSED)', 'unsupported-compressed'],
    ['CREATE TABLE t (a INT) WITH SYSTEM VERSIONING', 'unsupported-system-versioning'],
    ['CREATE TABLE t (a INT WITHOUT SYSTEM VERSIONING) WITH SYSTEM VERSIONING', 'unsupported-system-versioning'],
    ['CREATE TABLE t (s DATE, e DATE, PERIOD FOR p (s, e))', 'unsupported-period'],
    ['CREATE TABLE t (a CHAR(3) ASCII)', 'unsupported-binary-attribute'],
    ['CREATE TABLE t (g POINT REF_SYSTEM_ID=4326 NOT NULL)', 'unsupported-srid'],
    ['CREATE TABLE t (x INT, s TIMESTAMP(6) GENERATED ALWAYS AS ROW START, e TIMESTAMP(6) AS ROW END, PERIOD FOR SYSTEM_TIME(s, e)) WITH SYSTEM VERSIONING', 'unsupported-system-versioning'],
  ];
  for (const [src, code] of cases) {
    const r = parseSchemaFile('t.sql', src);
    assert.equal(r.tables.length, 1, src);
    const p = r.problems.find((x) => x.code === code);
    assert.ok(p, `${src}: expected ${code}, got ${JSON.stringify(r.problems)}`);
    assert.equal(p.kind, 'unsupported');
    assert.equal(p.severity, 'warning');
    assert.match(p.message, /gap in schemabranch, not an error in your file/);
    assert.ok(r.problems.every((x) => x.kind !== 'syntax'), src);
  }
});

test('constructs node-sql-parser lacks but schemabranch reads fully raise no problem at all', () => {
  const sources = [
    'CREATE TABLE t (a BOOL, b SERIAL, c REAL, d DOUBLE PRECISION, e DEC(5,2), f BLOB(300), g NCHAR(3), h NATIONAL VARCHAR(4), i UUID, j INET6)',
    'CREATE TABLE t (a INT INVISIBLE, b INT VISIBLE, c INT, KEY (c) IGNORED)',
    'CREATE TABLE t (a INT AS (1) PERSISTENT, b VARCHAR(3) CHARSET latin1)',
    'CREATE OR REPLACE TABLE t (a INT) STATS_PERSISTENT=0 PAGE_CHECKSUM=1 TABLESPACE ts',
    'CREATE TABLE t (status INT, comment TEXT, `key` INT, CONSTRAINT FOREIGN KEY (status) REFERENCES p (id))',
    "CREATE TABLE t (a INT, CHECK (a > 0) ENFORCED, b VARCHAR(3) DEFAULT _utf8mb4'x')",
    'CREATE TABLE t (a INT /*!80023 INVISIBLE */, b INT) /*!50100 COMMENT="x" */',
  ];
  for (const src of sources) {
    const r = parseSchemaFile('t.sql', src);
    assert.deepEqual(r.problems, [], src);
    assert.equal(r.tables.length, 1, src);
  }
});

test('semantic problems: statements that are not CREATE TABLE (or a view, trigger, routine, event), TEMPORARY, LIKE, SELECT', () => {
  const r = parseSchemaFile('t.sql', 'INSERT INTO t VALUES (1);\nCREATE INDEX i ON t (a);\nCREATE TEMPORARY TABLE x (a INT);\nCREATE TABLE y LIKE z;\nCREATE TABLE w AS SELECT 1;\nCREATE TABLE ok (a INT)');
  assert.deepEqual(r.tables.map((t) => t.name), ['ok']);
  assert.deepEqual(r.problems.map((p) => [p.kind, p.code, p.range.start.line]), [
    ['semantic', 'not-create-table', 0],
    ['semantic', 'not-create-table', 1],
    ['semantic', 'temporary-table', 2],
    ['semantic', 'create-table-like', 3],
    ['semantic', 'create-table-select', 4],
  ]);
});

test('SET statements from dumps are warnings; other statements are errors', () => {
  const r = parseSchemaFile('t.sql', 'SET NAMES utf8mb4;\nDROP TABLE IF EXISTS t;\nCREATE TABLE t (a INT);');
  assert.deepEqual(r.problems.map((p) => [p.code, p.severity]), [['not-create-table', 'warning'], ['not-create-table', 'error']]);
  assert.equal(r.tables.length, 1);
});

test('positions count UTF-16 code units and CRLF line ends like LSP does', () => {
  const src = 'CREATE TABLE t (\r\n  `na\u00efve` INT CHECK (`na\u00efve` <> \'\u{1F600}\'),\r\n  b INT DEFAULT 1 2\r\n);';
  const p = parseSchemaFile('t.sql', src).problems[0];
  assert.deepEqual(p.range.start, { line: 2, character: 18, offset: 76 });
  assert.equal(src.slice(p.range.start.offset, p.range.end.offset), '2');
});

test('parseSchemaFiles: a table defined twice across files is a duplicate-table problem at the second name', () => {
  const r = parseSchemaFiles([
    { file: 'a.sql', text: 'CREATE TABLE users (id INT);' },
    { file: 'b.sql', text: 'CREATE TABLE orders (id INT);\nCREATE TABLE Users (id BIGINT);' },
  ]);
  assert.deepEqual(r.schema.tables.map((t) => t.name), ['users', 'orders']);
  assert.equal(r.problems.length, 1);
  const p = r.problems[0];
  assert.deepEqual([p.kind, p.code, p.file, p.range.start.line, p.range.start.character], ['semantic', 'duplicate-table', 'b.sql', 1, 13]);
  assert.match(p.message, /already defined at a\.sql:1/);
});

test('names the server refuses twice: columns and keys in a table, foreign keys across the branch', () => {
  const one = parseSchemaFile('t.sql', 'CREATE TABLE t (a INT, A INT, PRIMARY KEY (a), KEY k (a), KEY K (a), PRIMARY KEY (a))');
  assert.deepEqual(one.problems.map((p) => [p.code, p.range.start.character]), [['duplicate-column', 23], ['duplicate-index', 58], ['duplicate-index', 69]]);
  const branch = parseSchemaFiles([
    { file: 'a.sql', text: 'CREATE TABLE a (x INT, CONSTRAINT fk_x FOREIGN KEY (x) REFERENCES p (id))' },
    { file: 'b.sql', text: 'CREATE TABLE b (x INT, CONSTRAINT FK_X FOREIGN KEY (x) REFERENCES p (id), FOREIGN KEY (x) REFERENCES p (id))' },
  ]);
  assert.deepEqual(branch.problems.map((p) => [p.code, p.file, p.severity]), [['duplicate-foreign-key-name', 'b.sql', 'error']]);
  assert.match(branch.problems[0].message, /already used by table a/);
});

test('nolint codes reach the table', () => {
  const r = parseSchemaFile('t.sql', '-- schemabranch:nolint no-primary-key\nCREATE TABLE t (\n  a FLOAT -- schemabranch:nolint float-type, nullable-column\n);');
  assert.deepEqual(r.tables[0].nolint, ['no-primary-key', 'float-type', 'nullable-column']);
});
