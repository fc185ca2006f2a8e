import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSchema } from '../../src/lint/index.js';
import { charsetOfCollation, normalizeCharset, utf8mb4CollationFor } from '../../src/lint/rules/charset-allowlist.js';
import { applyFix, col, idx, located, schema, table } from './build.js';

const sql = [
  'CREATE TABLE people (',
  '  id int NOT NULL,',
  '  name varchar(50) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL,',
  '  nick varchar(20) COLLATE utf8mb3_general_ci,',
  '  code char(2) CHARACTER SET ascii,',
  '  PRIMARY KEY (id)',
  ') ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci;',
].join('\n');

const people = located(
  table(
    'people',
    [
      col('id', 'int', { nullable: false }),
      col('name', { base: 'varchar', length: 50 }, { nullable: false, charset: 'latin1', collation: 'latin1_bin' }),
      col('nick', { base: 'varchar', length: 20 }, { collation: 'utf8mb3_general_ci' }),
      col('code', { base: 'char', length: 2 }, { charset: 'ascii' }),
    ],
    { indexes: [idx('PRIMARY', 'primary', ['id'])], options: { engine: 'InnoDB', charset: 'latin1', collation: 'latin1_swedish_ci' } },
  ),
  'people.sql',
  sql,
);
const sources = { 'people.sql': sql };
const lint = (config = {}) => lintSchema(schema(people), config, undefined, sources).filter((v) => v.code === 'charset-allowlist');

test('table and column charsets outside the default allowlist are warnings; ascii is allowed', () => {
  const found = lint();
  assert.deepEqual(found.map((v) => v.column ?? '(table)'), ['(table)', 'name', 'nick']);
  assert.ok(found.every((v) => v.severity === 'warning'));
  assert.deepEqual(found[0].source, people.nameSource);
  assert.deepEqual(found[1].source, people.columns[1].source);
  assert.match(found[0].message, /Table `people` uses character set latin1, which is not in the allowlist \(utf8mb4, binary, ascii\)/);
  assert.match(found[2].message, /utf8mb3/, 'a collation alone determines the charset');
});

test('fixes replace the charset and collation names with their utf8mb4 counterparts', () => {
  const [tbl, name, nick] = lint();
  assert.equal(applyFix(sql, name.fix).split('\n')[2], '  name varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,');
  assert.equal(applyFix(sql, nick.fix).split('\n')[3], '  nick varchar(20) COLLATE utf8mb4_general_ci,');
  assert.equal(applyFix(sql, tbl.fix).split('\n')[6], ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;');
  // The table fix only touches the options, not the columns' clauses.
  assert.equal(applyFix(sql, tbl.fix).split('\n')[2], sql.split('\n')[2]);
  assert.equal(name.fix!.edits[0].range.start.line, 2);
});

test('config.charsets replaces the allowlist; utf8 and utf8mb3 are the same charset', () => {
  // ascii is no longer allowed once the list is replaced.
  assert.deepEqual(lint({ charsets: ['utf8mb4', 'latin1', 'utf8'] }).map((v) => v.column), ['code']);
  assert.deepEqual(lint({ charsets: ['utf8mb4', 'latin1', 'ascii'] }).map((v) => v.column), ['nick']);
});

test('charset helpers', () => {
  assert.equal(normalizeCharset('UTF8'), 'utf8mb3');
  assert.equal(charsetOfCollation('utf8mb4_0900_ai_ci'), 'utf8mb4');
  assert.equal(charsetOfCollation('latin1_swedish_ci'), 'latin1');
  assert.equal(utf8mb4CollationFor('utf8_unicode_ci'), 'utf8mb4_unicode_ci');
  assert.equal(utf8mb4CollationFor('latin1_german2_ci'), 'utf8mb4_general_ci');
});

test('nolint and off', () => {
  assert.equal(lintSchema(schema({ ...people, nolint: ['charset-allowlist'] })).filter((v) => v.code === 'charset-allowlist').length, 0);
  assert.equal(lint({ severity: { 'charset-allowlist': 'off' } }).length, 0);
});
