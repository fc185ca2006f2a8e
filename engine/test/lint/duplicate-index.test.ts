import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSchema } from '../../src/lint/index.js';
import { applyFix, col, idx, located, schema, table } from './build.js';

const sql = [
  'CREATE TABLE t (',
  '  id int NOT NULL,',
  '  a int,',
  '  b int,',
  '  PRIMARY KEY (id),',
  '  KEY ab (a, b),',
  '  KEY ab2 (a, b),',
  '  KEY ba (b, a),',
  '  UNIQUE KEY uab (a, b)',
  ');',
].join('\n');

const t = located(
  table('t', [col('id', 'int', { nullable: false }), col('a', 'int'), col('b', 'int')], {
    indexes: [idx('PRIMARY', 'primary', ['id']), idx('ab', 'index', ['a', 'b']), idx('ab2', 'index', ['a', 'b']), idx('ba', 'index', ['b', 'a']), idx('uab', 'unique', ['a', 'b'])],
  }),
  't.sql',
  sql,
);
const dup = (s = schema(t), sources?: Record<string, string>) => lintSchema(s, {}, undefined, sources).filter((v) => v.code === 'duplicate-index');

test('the later of two same-kind indexes on the same columns in the same order is reported', () => {
  const found = dup();
  assert.equal(found.length, 1, 'other order (ba) and other kind (uab) are not duplicates');
  const [v] = found;
  assert.equal(v.index, 'ab2');
  assert.equal(v.severity, 'warning');
  assert.match(v.message, /Index `ab2` duplicates index `ab` \(a, b\)/);
  assert.deepEqual(v.source, t.indexes[2].source);
});

test('the fix deletes the duplicate line, with or without the file text', () => {
  const expected = sql.replace('  KEY ab2 (a, b),\n', '');
  const [withText] = dup(schema(t), { 't.sql': sql });
  assert.equal(applyFix(sql, withText.fix), expected);
  assert.equal(withText.fix!.edits[0].range.start.line, 6);
  assert.equal(withText.fix!.edits[0].range.start.character, 0);
  const [withoutText] = dup();
  // From the end of the previous element: the result is the same statement.
  assert.equal(applyFix(sql, withoutText.fix), sql.replace(',\n  KEY ab2 (a, b)', ''));
});

test('the last element of the body is removed together with the comma before it', () => {
  const last = ['CREATE TABLE t (', '  a int,', '  KEY a1 (a),', '  KEY a2 (a)', ');'].join('\n');
  const lt = located(table('t', [col('a', 'int')], { indexes: [idx('a1', 'index', ['a']), idx('a2', 'index', ['a'])] }), 't.sql', last);
  const [v] = dup(schema(lt), { 't.sql': last });
  assert.equal(applyFix(last, v.fix), ['CREATE TABLE t (', '  a int,', '  KEY a1 (a)', ');'].join('\n'));
});

test('prefix lengths and directions are part of the shape', () => {
  const s = schema(
    table('t', [col('a', 'varchar')], {
      indexes: [idx('p10', 'index', [{ column: 'a', length: 10 }]), idx('p20', 'index', [{ column: 'a', length: 20 }]), idx('d', 'index', [{ column: 'a', length: 10, descending: true }]), idx('p10b', 'index', [{ column: 'A', length: 10 }])],
    }),
  );
  assert.deepEqual(dup(s).map((v) => v.index), ['p10b'], 'column names compare case-insensitively');
});

test('two unique keys on the same columns are duplicates; nolint silences', () => {
  const s = table('t', [col('a', 'int', { nullable: false })], { indexes: [idx('u1', 'unique', ['a']), idx('u2', 'unique', ['a'])] });
  assert.deepEqual(dup(schema(s)).map((v) => v.index), ['u2']);
  assert.equal(dup(schema({ ...s, nolint: ['duplicate-index'] })).length, 0);
});
