import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoteIdent } from '../../src/sql/quote.js';
import { lintSchema } from '../../src/lint/index.js';
import { LIVE_STATS_SQL, liveStatsFromRows, readLiveStats } from '../../src/lint/live-stats.js';
import { grouped, maxValue } from '../../src/lint/rules/auto-increment-capacity.js';
import type { ColumnType } from '../../src/schema/model.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { applyFix, col, idx, located, schema, table } from './build.js';

const pk = [idx('PRIMARY', 'primary', ['id'])];
const withId = (name: string, type: ColumnType) => table(name, [col('id', type, { nullable: false, autoIncrement: true })], { indexes: pk });
const capacity = (...ts: ReturnType<typeof table>[]) => lintSchema(schema(...ts)).filter((v) => v.code === 'auto-increment-capacity');

test('static: signed non-bigint and small unsigned AUTO_INCREMENT columns are warnings; unsigned int and bigint pass', () => {
  const found = capacity(
    withId('a', { base: 'int' }),
    withId('b', { base: 'tinyint' }),
    withId('c', { base: 'int', unsigned: true }),
    withId('d', { base: 'bigint' }),
    withId('e', { base: 'bigint', unsigned: true }),
    table('f', [col('id', 'int', { nullable: false })], { indexes: pk }),
    withId('g', { base: 'smallint', length: 5, unsigned: true }),
  );
  assert.deepEqual(found.map((v) => v.table), ['a', 'b', 'g']);
  assert.match(found[2].message, /is a smallint unsigned: it runs out at 65,535/);
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /signed int: it runs out at 2,147,483,647/);
  assert.equal(found[0].suggestion, 'bigint unsigned');
});

test('static fix: the type token (with display width and SIGNED) becomes bigint unsigned', () => {
  const sql = 'CREATE TABLE t (\n  `id` int(11) signed NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (id)\n);';
  const t = located(withId('t', { base: 'int', length: 11 }), 't.sql', sql);
  const [v] = lintSchema(schema(t), {}, undefined, { 't.sql': sql }).filter((x) => x.code === 'auto-increment-capacity');
  assert.equal(applyFix(sql, v.fix), 'CREATE TABLE t (\n  `id` bigint unsigned NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (id)\n);');
});

test('dynamic: a counter past 80% of its type is reported, with the percentage', () => {
  const t = withId('t', { base: 'int', unsigned: true });
  const near = lintSchema(schema(t), {}, { t: { autoIncrement: 3_500_000_001 } }).filter((v) => v.code === 'auto-increment-capacity');
  assert.equal(near.length, 1);
  assert.match(near[0].message, /at 3,500,000,001, 81% of the unsigned int maximum 4,294,967,295/);
  const far = lintSchema(schema(t), {}, { t: { autoIncrement: 1000 } }).filter((v) => v.code === 'auto-increment-capacity');
  assert.equal(far.length, 0);
  // Below the threshold, a signed int still gets the static advice.
  const signed = withId('s', { base: 'smallint' });
  const [advice] = lintSchema(schema(signed), {}, { s: { autoIncrement: 10 } }).filter((v) => v.code === 'auto-increment-capacity');
  assert.match(advice.message, /signed smallint/);
});

test('maxValue knows each integer type', () => {
  assert.equal(maxValue(col('x', { base: 'tinyint', unsigned: true })), 255);
  assert.equal(maxValue(col('x', { base: 'mediumint' })), 8388607);
  assert.equal(maxValue(col('x', { base: 'varchar' })), undefined);
  assert.equal(grouped(18446744073709551615), '18,446,744,073,709,551,616', 'bigint unsigned max, as a double');
  assert.equal(grouped(999), '999');
  assert.equal(grouped(1000), '1,000');
});

test('live stats read from the server drive the dynamic check', async () => {
  const db = await freshDatabase('lint');
  const conn = await connect(db.target, db.database);
  try {
    await conn.query(`CREATE TABLE ${quoteIdent('near')} (id smallint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY) AUTO_INCREMENT=60000`);
    await conn.query(`CREATE TABLE ${quoteIdent('plain')} (id int NOT NULL PRIMARY KEY)`);
    await conn.query('INSERT INTO near VALUES (), ()');
    const stats = await readLiveStats(conn, db.database);
    assert.equal(stats.near.autoIncrement, 60002);
    assert.equal(stats.plain.autoIncrement, undefined);
    const near = withId('near', { base: 'smallint', unsigned: true });
    const [v] = lintSchema(schema(near), {}, stats).filter((x) => x.code === 'auto-increment-capacity');
    assert.match(v.message, /at 60,002, 91% of the unsigned smallint maximum 65,535/);
  } finally {
    await conn.end();
    await db.drop();
  }
});

test('liveStatsFromRows converts string numbers and NULLs', () => {
  assert.match(LIVE_STATS_SQL, /information_schema\.TABLES/);
  assert.deepEqual(liveStatsFromRows([{ name: 't', autoIncrement: '42', rows: null }]), { t: { autoIncrement: 42, rows: undefined } });
});
