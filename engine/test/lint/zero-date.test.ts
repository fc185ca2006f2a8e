import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSchema } from '../../src/lint/index.js';
import { isZeroDate } from '../../src/lint/rules/zero-date.js';
import { applyFix, col, idx, located, schema, table } from './build.js';

const sql = [
  'CREATE TABLE t (',
  '  id int NOT NULL,',
  "  born date DEFAULT '0000-00-00',",
  "  seen datetime NOT NULL DEFAULT '0000-00-00 00:00:00',",
  "  made timestamp NULL DEFAULT '2020-01-01 00:00:00',",
  "  note varchar(20) DEFAULT '0000-00-00',",
  '  PRIMARY KEY (id)',
  ');',
].join('\n');

const t = located(
  table(
    't',
    [
      col('id', 'int', { nullable: false }),
      col('born', 'date', { default: "'0000-00-00'" }),
      col('seen', 'datetime', { nullable: false, default: "'0000-00-00 00:00:00'" }),
      col('made', 'timestamp', { default: "'2020-01-01 00:00:00'" }),
      col('note', { base: 'varchar', length: 20 }, { default: "'0000-00-00'" }),
    ],
    { indexes: [idx('PRIMARY', 'primary', ['id'])] },
  ),
  't.sql',
  sql,
);

test('zero-date defaults on date/datetime/timestamp are reported; other types and real dates are not', () => {
  const found = lintSchema(schema(t), {}, undefined, { 't.sql': sql }).filter((v) => v.code === 'zero-date');
  assert.deepEqual(found.map((v) => v.column), ['born', 'seen']);
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /NO_ZERO_DATE/);
  assert.match(found[0].message, /Use DEFAULT NULL/);
  assert.match(found[1].message, /a real default/);
});

test('a nullable column gets DEFAULT NULL as a fix; a NOT NULL one gets none', () => {
  const [born, seen] = lintSchema(schema(t), {}, undefined, { 't.sql': sql }).filter((v) => v.code === 'zero-date');
  assert.equal(seen.fix, undefined);
  const fixed = applyFix(sql, born.fix);
  assert.match(fixed, /\n {2}born date DEFAULT NULL,\n/);
  assert.equal(fixed.length, sql.length - "'0000-00-00'".length + 'NULL'.length);
  assert.equal(born.fix!.edits[0].range.start.line, 2);
  // Without the file text the rule still reports, without a fix.
  const [noText] = lintSchema(schema(t)).filter((v) => v.code === 'zero-date');
  assert.equal(noText.fix, undefined);
});

test('isZeroDate recognises the zero-date spellings', () => {
  for (const z of ["'0000-00-00'", "'0000-00-00 00:00:00'", "'0000-00-00 00:00:00.000'", '0']) assert.equal(isZeroDate(z), true, z);
  for (const d of ["'2000-01-01'", 'current_timestamp()', 'NULL', "'0000-01-01'"]) assert.equal(isZeroDate(d), false, d);
});
