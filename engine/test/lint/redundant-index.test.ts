import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSchema } from '../../src/lint/index.js';
import type { Index } from '../../src/schema/model.js';
import { applyFix, col, idx, located, schema, table } from './build.js';

const cols = [col('id', 'int', { nullable: false }), col('a', 'int'), col('b', 'int'), col('c', 'varchar')];
const redundant = (indexes: Index[]) => lintSchema(schema(table('t', cols, { indexes }))).filter((v) => v.code === 'redundant-index');
const names = (indexes: Index[]) => redundant(indexes).map((v) => v.index);
const pk = idx('PRIMARY', 'primary', ['id']);

test('a non-unique index that is a left prefix of another is redundant', () => {
  const found = redundant([pk, idx('a', 'index', ['a']), idx('ab', 'index', ['a', 'b'])]);
  assert.deepEqual(found.map((v) => v.index), ['a']);
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /^Index `a` \(a\) is redundant: index `ab` \(a, b\) serves every lookup it can\. Remove `a`\.$/);
});

test('not a left prefix: other order, a middle column, fulltext, hash', () => {
  assert.deepEqual(names([pk, idx('b', 'index', ['b']), idx('ab', 'index', ['a', 'b'])]), []);
  assert.deepEqual(names([pk, idx('ba', 'index', ['b', 'a']), idx('ab', 'index', ['a', 'b'])]), []);
  assert.deepEqual(names([pk, idx('c', 'index', ['c']), idx('ft', 'fulltext', ['c', 'b'])]), []);
  assert.deepEqual(names([pk, idx('a', 'index', ['a']), idx('ab', 'index', ['a', 'b'], { using: 'hash' })]), []);
});

test('unique indexes are never dropped for a wider index; a unique index equal to the primary key is redundant', () => {
  assert.deepEqual(names([pk, idx('ua', 'unique', ['a']), idx('ab', 'index', ['a', 'b'])]), [], 'dropping ua would drop the constraint');
  assert.deepEqual(names([pk, idx('uid', 'unique', ['id'])]), ['uid']);
  assert.deepEqual(names([pk, idx('a', 'index', ['a']), idx('ua', 'unique', ['a'])]), ['a'], 'a plain index equal to a unique one');
});

test('the primary key is never reported; a plain index on its left prefix is', () => {
  const pkab = idx('PRIMARY', 'primary', ['a', 'b']);
  assert.deepEqual(names([pkab, idx('a', 'index', ['a']), idx('uab', 'unique', ['a', 'b', 'c'])]), ['a']);
  assert.deepEqual(names([idx('PRIMARY', 'primary', ['a']), idx('ua', 'unique', ['a', 'b'])]), []);
});

test('prefix lengths: a shorter last prefix is covered, a longer one or an earlier mismatch is not', () => {
  const c10 = { column: 'c', length: 10 };
  const c20 = { column: 'c', length: 20 };
  assert.deepEqual(names([pk, idx('c10', 'index', [c10]), idx('c20', 'index', [c20])]), ['c10']);
  assert.deepEqual(names([pk, idx('c10', 'index', [c10]), idx('cfull', 'index', ['c'])]), ['c10']);
  assert.deepEqual(names([pk, idx('cfull', 'index', ['c']), idx('c10a', 'index', [c10, 'a'])]), [], 'the full column is not served by a prefix');
  assert.deepEqual(names([pk, idx('c10a', 'index', [c10, 'a']), idx('c20ab', 'index', [c20, 'a', 'b'])]), [], 'an earlier prefix mismatch changes the order');
  assert.deepEqual(names([pk, idx('ad', 'index', [{ column: 'a', descending: true }]), idx('ab', 'index', ['a', 'b'])]), []);
});

test('an exact duplicate is left to duplicate-index; the fix deletes the line', () => {
  assert.deepEqual(names([pk, idx('ab', 'index', ['a', 'b']), idx('ab2', 'index', ['a', 'b'])]), []);
  const sql = ['CREATE TABLE t (', '  id int NOT NULL,', '  a int,', '  b int,', '  c varchar(10),', '  PRIMARY KEY (id),', '  KEY a (a),', '  KEY ab (a, b)', ');'].join('\n');
  const t = located(table('t', cols, { indexes: [pk, idx('a', 'index', ['a']), idx('ab', 'index', ['a', 'b'])] }), 't.sql', sql);
  const [v] = lintSchema(schema(t), {}, undefined, { 't.sql': sql }).filter((x) => x.code === 'redundant-index');
  assert.equal(applyFix(sql, v.fix), sql.replace('  KEY a (a),\n', ''));
});

test('an index written inside a column definition gets no fix', () => {
  const sql = 'CREATE TABLE t (\n  a int UNIQUE,\n  id int NOT NULL PRIMARY KEY\n);';
  const t = located(table('t', [col('a', 'int'), col('id', 'int', { nullable: false })], { indexes: [idx('PRIMARY', 'primary', ['id']), idx('a', 'unique', ['a']), idx('a_2', 'index', ['a'])] }), 't.sql', sql);
  const inColumn = { ...t, indexes: t.indexes.map((i) => (i.name === 'a_2' ? { ...i, source: t.columns[0].source } : i)) };
  const [v] = lintSchema(schema(inColumn), {}, undefined, { 't.sql': sql }).filter((x) => x.code === 'redundant-index');
  assert.equal(v.index, 'a_2');
  assert.equal(v.fix, undefined);
});
