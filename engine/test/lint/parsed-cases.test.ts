/** Each rule against tables read by the real parser, so the rules and the parser agree on the model. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSchema } from '../../src/lint/index.js';
import { parseSchemaFile } from '../../src/schema/parse.js';

/** `code:element` for every violation, `+fix` when it has one. */
function lint(sql: string): string[] {
  const parsed = parseSchemaFile('x.sql', sql);
  assert.deepEqual(parsed.problems.map((p) => p.message), [], 'the case must parse');
  return lintSchema({ tables: parsed.tables }, {}, undefined, { 'x.sql': sql }).map((v) => `${v.code}:${v.column ?? v.index ?? v.table}${v.fix ? '+fix' : ''}`);
}

const cases: Array<[string, string, string[]]> = [
  ['clean table', 'CREATE TABLE t (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, n varchar(9), KEY n (n))', []],
  ['no key at all', 'CREATE TABLE t (a int)', ['no-primary-key:t+fix']],
  ['unique NOT NULL key', 'CREATE TABLE t (a int NOT NULL, UNIQUE KEY a (a))', []],
  ['unique nullable key', 'CREATE TABLE t (a int, UNIQUE KEY a (a))', ['no-primary-key:t+fix']],
  ['SERIAL is a key', 'CREATE TABLE t (id serial, a int)', []],
  ['approximate types', 'CREATE TABLE t (id int NOT NULL PRIMARY KEY, a real, b double precision, c float(7,2), d dec(5,2))', ['float-double:a', 'float-double:b', 'float-double:c']],
  [
    'zero dates',
    `CREATE TABLE t (id int NOT NULL PRIMARY KEY, ts timestamp NOT NULL DEFAULT 0, d datetime DEFAULT "0000-00-00 00:00:00", e date DEFAULT '2000-01-01')`,
    ['zero-date:ts', 'zero-date:d+fix'],
  ],
  ['collation implies charset', 'CREATE TABLE t (id int NOT NULL PRIMARY KEY, n varchar(9) COLLATE utf8_general_ci) CHARACTER SET = latin1', ['charset-allowlist:t+fix', 'charset-allowlist:n+fix']],
  ['table collation only', 'CREATE TABLE t (id int NOT NULL PRIMARY KEY) DEFAULT COLLATE utf8mb3_bin', ['charset-allowlist:t+fix']],
  ['allowed charsets', 'CREATE TABLE t (id int NOT NULL PRIMARY KEY, a char(2) CHARACTER SET ascii, b varbinary(4)) DEFAULT CHARSET=utf8mb4', []],
  ['reserved names', 'CREATE TABLE `select` (`from` int NOT NULL, `status` int, PRIMARY KEY (`from`))', ['reserved-word:select', 'reserved-word:from']],
  ['foreign key (a rule off by default)', 'CREATE TABLE t (id int NOT NULL PRIMARY KEY, u int, CONSTRAINT fk_u FOREIGN KEY (u) REFERENCES users (id))', []],
  ['duplicate', 'CREATE TABLE t (id int NOT NULL PRIMARY KEY, a int, KEY a1 (a), KEY a2 (a))', ['duplicate-index:a2+fix']],
  ['redundant prefix', 'CREATE TABLE t (id int NOT NULL PRIMARY KEY, a int, b int, KEY a (a), KEY ab (a, b))', ['redundant-index:a+fix']],
  ['unique equal to the primary key', 'CREATE TABLE t (id int NOT NULL, PRIMARY KEY (id), UNIQUE KEY uid (id))', ['redundant-index:uid+fix']],
  ['inline unique equal to the primary key', 'CREATE TABLE t (id int NOT NULL PRIMARY KEY UNIQUE)', ['redundant-index:id']],
  ['descending and fulltext are not prefixes', 'CREATE TABLE t (id int NOT NULL PRIMARY KEY, n varchar(9), INDEX i (n DESC), KEY j (n, id), FULLTEXT KEY f (n))', []],
  ['prefix lengths', 'CREATE TABLE t (id int NOT NULL PRIMARY KEY, n varchar(90), KEY n10 (n(10)), KEY n20 (n(20)))', ['redundant-index:n10+fix']],
  ['auto increment int', 'CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY)', ['auto-increment-capacity:id+fix']],
  ['auto increment unsigned', 'CREATE TABLE t (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY)', []],
];

for (const [name, sql, expected] of cases) {
  test(`parsed: ${name}`, () => {
    assert.deepEqual(lint(sql).sort(), [...expected].sort());
  });
}
