import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSchema } from '../../src/lint/index.js';
import { col, idx, schema, table } from './build.js';

const pk = [idx('PRIMARY', 'primary', ['id'])];
const found = (t: ReturnType<typeof table>) => lintSchema(schema(t)).filter((v) => v.code === 'float-double');

test('FLOAT, DOUBLE and REAL columns are warnings that suggest DECIMAL', () => {
  const t = table('prices', [col('id', 'int', { nullable: false }), col('a', 'float'), col('b', 'double'), col('c', 'real'), col('d', { base: 'decimal', length: 10, scale: 2 })], { indexes: pk });
  const v = found(t);
  assert.deepEqual(v.map((x) => x.column), ['a', 'b', 'c']);
  assert.ok(v.every((x) => x.severity === 'warning'));
  assert.match(v[1].message, /`prices`\.`b` is DOUBLE, an approximate type/);
  assert.match(v[1].message, /Use DECIMAL\(precision, scale\)/);
});

test('exact types pass; nolint silences', () => {
  const exact = table('t', [col('id', 'int', { nullable: false }), col('d', 'decimal'), col('n', 'bigint')], { indexes: pk });
  assert.equal(found(exact).length, 0);
  const silenced = table('t', [col('id', 'int', { nullable: false }), col('f', 'float')], { indexes: pk, nolint: ['float-double'] });
  assert.equal(found(silenced).length, 0);
});
