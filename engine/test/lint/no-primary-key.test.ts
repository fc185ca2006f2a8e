import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSchema } from '../../src/lint/index.js';
import { noPrimaryKey } from '../../src/lint/rules/no-primary-key.js';
import { applyFix, col, idx, located, schema, table } from './build.js';

const only = (s: ReturnType<typeof schema>) => lintSchema(s).filter((v) => v.code === 'no-primary-key');

test('a table without any key is an error pointing at the table name, with an id column fix', () => {
  const sql = 'CREATE TABLE events (\n  name varchar(50) NOT NULL,\n  at datetime\n);';
  const t = located(table('events', [col('name', { base: 'varchar', length: 50 }, { nullable: false }), col('at', 'datetime')]), 'events.sql', sql);
  const [v, ...rest] = only(schema(t));
  assert.equal(rest.length, 0);
  assert.equal(v.severity, 'error');
  assert.equal(v.table, 'events');
  assert.deepEqual(v.source, t.nameSource);
  assert.match(v.message, /no primary key/);
  assert.match(v.message, /id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY/);
  assert.equal(
    applyFix(sql, v.fix),
    'CREATE TABLE events (\n  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  name varchar(50) NOT NULL,\n  at datetime\n);',
  );
  assert.equal(v.fix!.edits[0].range.start.line, 1);
  assert.equal(v.fix!.edits[0].range.start.character, 2);
});

test('with the file text, the fix keeps tab indentation; on one line it inserts inline', () => {
  const tabbed = 'CREATE TABLE t (\n\ta int\n);';
  const t1 = located(table('t', [col('a', 'int')]), 't.sql', tabbed);
  const [v1] = noPrimaryKey.lint({ schema: schema(t1), config: {}, sources: { 't.sql': tabbed } });
  assert.equal(applyFix(tabbed, v1.fix), 'CREATE TABLE t (\n\tid bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,\n\ta int\n);');

  const inline = 'CREATE TABLE t (a int);';
  const t2 = table('t', [col('a', 'int', { source: { file: 't.sql', range: { start: { line: 0, character: 16, offset: 16 }, end: { line: 0, character: 21, offset: 21 } } } })]);
  const [v2] = noPrimaryKey.lint({ schema: schema(t2), config: {}, sources: { 't.sql': inline } });
  assert.equal(applyFix(inline, v2.fix), 'CREATE TABLE t (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, a int);');
});

test('a primary key, or a unique key on NOT NULL columns without prefixes, is enough', () => {
  const pk = table('a', [col('id', 'int', { nullable: false })], { indexes: [idx('PRIMARY', 'primary', ['id'])] });
  const uniq = table('b', [col('code', 'char', { nullable: false })], { indexes: [idx('code', 'unique', ['code'])] });
  assert.deepEqual(only(schema(pk, uniq)), []);
});

test('a unique key on a nullable column or on a prefix does not count', () => {
  const nullable = table('b', [col('code', 'char')], { indexes: [idx('code', 'unique', ['code'])] });
  const prefix = table('c', [col('code', 'varchar', { nullable: false })], { indexes: [idx('code', 'unique', [{ column: 'code', length: 10 }])] });
  const found = only(schema(nullable, prefix));
  assert.deepEqual(found.map((v) => v.table), ['b', 'c']);
  assert.match(found[0].message, /make the columns of unique key `code` NOT NULL/);
});

test('no fix when an id column or an AUTO_INCREMENT column already exists; the message says what to do', () => {
  const hasId = table('t', [col('id', 'int')]);
  const hasAuto = table('u', [col('seq', 'int', { autoIncrement: true, nullable: false })], { indexes: [idx('seq', 'index', ['seq'])] });
  const found = only(schema(hasId, hasAuto));
  assert.equal(found.length, 2);
  assert.equal(found[0].fix, undefined);
  assert.equal(found[1].fix, undefined);
  assert.match(found[1].message, /make the AUTO_INCREMENT column `seq` the PRIMARY KEY/);
});

test('severity override and nolint', () => {
  const t = table('t', [col('a', 'int')]);
  assert.equal(lintSchema(schema(t), { severity: { 'no-primary-key': 'warning' } }).find((v) => v.code === 'no-primary-key')?.severity, 'warning');
  assert.equal(lintSchema(schema(t), { severity: { 'no-primary-key': 'off' } }).filter((v) => v.code === 'no-primary-key').length, 0);
  assert.equal(only(schema({ ...t, nolint: ['no-primary-key'] })).length, 0);
});

test("a prefix primary key (Joomla's webauthn_credentials) does not identify rows: an error that says why", () => {
  const t = table('webauthn_credentials', [col('id', { base: 'varchar', length: 1000 }, { nullable: false })], { indexes: [idx('PRIMARY', 'primary', [{ column: 'id', length: 100 }])] });
  const [v, ...rest] = only(schema(t));
  assert.equal(rest.length, 0);
  assert.equal(v.severity, 'error');
  assert.match(v.message, /has no key that identifies its rows: the primary key indexes only a prefix of `id` \(`id`\(100\)\)/);
  assert.match(v.message, /make the primary key cover whole NOT NULL columns/);
  // A whole-column unique key beside it is enough.
  const withUnique = { ...t, columns: [...t.columns, col('uid', 'int', { nullable: false })], indexes: [...t.indexes, idx('uid', 'unique', ['uid'])] };
  assert.deepEqual(only(schema(withUnique)), []);
});
