/** The editor's tokens (the engine's one lexer) and outline: names with exact offsets, even in text that does not parse. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../src/sql/tokens.js';
import { outlineFile, statementAt } from '../src/sql/outline.js';
import { completionContext } from '../src/features/completion.js';
import { cursor } from './support/lsp.js';

test('tokenize: backquoted names unescape, unterminated strings and comments run to the end', () => {
  const t = tokenize("CREATE TABLE `we``ird` (a varchar(3) DEFAULT 'x''y', -- note\n b int) /* open");
  const names = t.filter((x) => x.kind === 'quoted').map((x) => x.value);
  assert.deepEqual(names, ['we`ird']);
  const last = t[t.length - 1];
  assert.equal(last.kind, 'comment');
  assert.equal(last.unterminated, true);
  const s = tokenize("SELECT 'abc");
  assert.equal(s[1].kind, 'string');
  assert.equal(s[1].unterminated, true);
  assert.equal(s[1].end, 11);
});

test('tokenize: the same tokens as the engine lexer, executable-comment markers as comments', () => {
  const text = "CREATE TABLE t (a int, b x'1f') /*!50100 ENGINE=InnoDB */ /*!80003 ROW_FORMAT=x */;";
  const t = tokenize(text);
  // MariaDB 10.11 runs /*!50100 and skips /*!80003: the engine's reading, not a second one.
  const words = t.filter((x) => x.kind === 'ident').map((x) => x.value);
  assert.deepEqual(words, ['CREATE', 'TABLE', 't', 'a', 'int', 'b', 'ENGINE', 'InnoDB']);
  const comments = t.filter((x) => x.kind === 'comment').map((x) => x.text);
  assert.deepEqual(comments, ['/*!50100', '*/', '/*!80003 ROW_FORMAT=x */']);
  assert.equal(t.find((x) => x.text === "x'1f'")?.kind, 'number');
  for (let i = 1; i < t.length; i++) assert.ok(t[i - 1].end <= t[i].start, 'tokens are in order and never overlap');
});

test('outline: table, columns, key parts, FK columns and referenced table with their exact offsets', () => {
  const text = [
    'CREATE TABLE orders (',
    '  id int NOT NULL,',
    '  user_id int,',
    '  total decimal(10,2) AS (price * qty),',
    '  PRIMARY KEY (id),',
    '  KEY by_user (user_id, id DESC),',
    '  CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES `users` (`id`) ON DELETE CASCADE,',
    '  CHECK (qty > 0)',
    ');',
  ].join('\n');
  const o = outlineFile(text);
  const brief = o.occurrences.map((x) => `${x.kind}:${x.table}.${x.name}`);
  assert.deepEqual(brief, [
    'table-def:orders.orders',
    'column-def:orders.id',
    'column-def:orders.user_id',
    'column-def:orders.total',
    'expr-ref:orders.price',
    'expr-ref:orders.qty',
    'column-ref:orders.id',
    'column-ref:orders.user_id',
    'column-ref:orders.id',
    'column-ref:orders.user_id',
    'table-ref:users.users',
    'column-ref:users.id',
    'expr-ref:orders.qty',
  ]);
  const users = o.occurrences.find((x) => x.kind === 'table-ref');
  assert.equal(text.slice(users?.start, users?.end), '`users`');
  assert.deepEqual(o.statements[0].elements.map((e) => e.kind), ['column', 'column', 'column', 'key', 'key', 'foreign-key', 'check']);
});

test('outline: survives half-typed statements and several statements per file', () => {
  const o = outlineFile('CREATE TABLE a (x int, KEY (x);\nCREATE TABLE b (y int REFERENCES a (x)');
  assert.deepEqual(o.statements.map((s) => s.table), ['a', 'b']);
  assert.ok(o.occurrences.some((x) => x.kind === 'table-ref' && x.name === 'a'));
  assert.ok(o.occurrences.some((x) => x.kind === 'column-ref' && x.table === 'a' && x.name === 'x'));
});

function contextAt(fixture: string): string {
  const { text } = cursor(fixture);
  const offset = fixture.indexOf('|');
  const o = outlineFile(text);
  const st = statementAt(o, offset);
  const ctx = completionContext(o.tokens.filter((t) => st && t.start >= st.start && t.start < offset), offset, st?.table);
  return 'table' in ctx ? `${ctx.kind}:${ctx.table}` : 'charset' in ctx && ctx.charset ? `${ctx.kind}:${ctx.charset}` : ctx.kind;
}

test('completion context from the tokens before the cursor', () => {
  assert.equal(contextAt('|'), 'statement');
  assert.equal(contextAt('CREATE TABLE t (\n  |'), 'element-start');
  assert.equal(contextAt('CREATE TABLE t (\n  id |'), 'column-type');
  assert.equal(contextAt('CREATE TABLE t (\n  id in|'), 'column-type');
  assert.equal(contextAt('CREATE TABLE t (\n  id int |'), 'column-attribute');
  assert.equal(contextAt('CREATE TABLE t (\n  id int, name varchar(3) CHARACTER SET |'), 'charset');
  assert.equal(contextAt('CREATE TABLE t (\n  name varchar(3) CHARACTER SET latin1 COLLATE |'), 'collation:latin1');
  assert.equal(contextAt('CREATE TABLE t (\n  id int,\n  KEY k (|'), 'key-columns:t');
  assert.equal(contextAt('CREATE TABLE t (\n  id int,\n  PRIMARY KEY (id, |)'), 'key-columns:t');
  assert.equal(contextAt('CREATE TABLE t (\n  u int,\n  FOREIGN KEY (u) REFERENCES |'), 'referenced-table');
  assert.equal(contextAt('CREATE TABLE t (\n  u int,\n  FOREIGN KEY (u) REFERENCES users (|'), 'referenced-columns:users');
  assert.equal(contextAt('CREATE TABLE t (\n  u int\n) ENGINE=|'), 'engine');
  assert.equal(contextAt('CREATE TABLE t (\n  u int\n) DEFAULT CHARSET=|'), 'charset');
  assert.equal(contextAt("CREATE TABLE t (\n  u int COMMENT 'abc |"), 'none');
  assert.equal(contextAt('CREATE TABLE t (\n  u int -- comment |'), 'none');
});

test('outline: statements are the engine splitter\'s, so a DELIMITER $$ trigger with BEGIN ... END is one statement', () => {
  const text = 'DELIMITER $$\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW\nBEGIN\n  SET NEW.a = 1;\n  SET NEW.b = 2;\nEND$$\nDELIMITER ;\nCREATE TABLE t (a int, b int);\n';
  const o = outlineFile(text);
  assert.deepEqual(o.statements.map((s) => [s.object?.kind ?? s.table, text.slice(s.start, s.end).split('\n')[0], s.terminator === undefined ? undefined : text.slice(s.terminator, s.terminator + 2)]), [
    ['trigger', 'CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW', '$$'],
    ['t', 'CREATE TABLE t (a int, b int)', ';\n'],
  ]);
  assert.equal(statementAt(o, text.indexOf('NEW.b'))?.object?.name, 'tr');
});

test('outline of a view body: CTEs, aliases, derived tables, db.table.column, t.*, INTERVAL and EXTRACT units, @variables', () => {
  const text = [
    'CREATE VIEW v AS',
    'WITH recent AS (SELECT o.id FROM orders o WHERE o.created > NOW() - INTERVAL 1 DAY)',
    'SELECT `shop`.`orders`.`total`, r.id, EXTRACT(YEAR FROM x.created) AS y, @v, x.*, day amount',
    'FROM recent r, orders x JOIN (SELECT id FROM users) AS u ON u.id = x.user_id',
    'ORDER BY y;',
  ].join('\n');
  const o = outlineFile(text);
  const brief = o.occurrences.map((x) => `${x.kind}:${[x.db, x.body?.qualifier, x.name].filter((p) => p !== undefined).join('.')}${x.body ? `:${x.body.role}/${x.body.clause}` : ''}`);
  assert.deepEqual(brief, [
    'object-def:v',
    // Sources first: orders (CTE), orders x, users (derived); `recent` is the CTE, not a table.
    'body-table:orders',
    'body-table:orders',
    'body-table:users',
    'body-name:o.id:ref/select',
    'body-name:o.created:ref/where',
    'body-table:shop.orders',
    'body-name:shop.orders.total:ref/select',
    'body-name:r.id:ref/select',
    'body-name:x.created:ref/select',
    'body-name:day:ref/select',
    'body-name:amount:implicit-alias/select',
    'body-name:id:ref/select',
    'body-name:u.id:ref/on',
    'body-name:x.user_id:ref/on',
    // ORDER BY y: the select list's alias (the resolver knows y is one).
    'body-name:y:ref/order',
  ]);
  const scope = o.occurrences.find((x) => x.kind === 'body-name')!.body!.scope;
  assert.deepEqual(scope.sources.map((s) => `${s.table ?? ''}${s.alias ? ` ${s.alias}` : ''}${s.derived ? ' (derived)' : ''}`), [' recent (derived)', 'orders o', ' r (derived)', 'orders x', ' u (derived)', 'users']);
  assert.deepEqual([...scope.aliases].sort(), ['amount', 'y']);
});

test('outline of a routine: parameters and DECLAREd names are the body\'s variables; a header it cannot read is marked', () => {
  const text = 'CREATE PROCEDURE p(IN a INT, OUT `b` INT)\nBEGIN\n  DECLARE c, d INT;\n  DECLARE cur CURSOR FOR SELECT x FROM t;\n  SELECT x INTO b FROM t WHERE y = a;\nEND;\nCREATE TRIGGER broken BEFORE INSERT t FOR EACH ROW SET NEW.a = 1;\n';
  const o = outlineFile(text);
  const [p, broken] = o.statements.map((s) => s.object!);
  assert.equal(p.readable, true);
  assert.equal(p.signature, '(IN a INT, OUT `b` INT)');
  const scope = o.occurrences.find((x) => x.kind === 'body-name')!.body!.scope;
  assert.deepEqual([...scope.params].sort(), ['a', 'b']);
  assert.deepEqual([...scope.declared].sort(), ['c', 'd']);
  assert.equal(broken.readable, false);
  assert.equal(broken.name, 'broken');
});
