import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSchemaFile } from '../../src/schema/parse.js';
import { renderCreateTable } from '../../src/sql/ddl.js';

const CANARY = 'DROP DATABASE canary';

/** Values that are not words from a closed list: each is an error at the value itself, naming it. */
const REFUSED: Array<[string, string]> = [
  [`CREATE TABLE x (id int) ENGINE=\`InnoDB; ${CANARY}; --\`;`, `\`InnoDB; ${CANARY}; --\``],
  [`CREATE TABLE x (id int) ENGINE='InnoDB ${CANARY}';`, `'InnoDB ${CANARY}'`],
  [`CREATE TABLE x (id int) DEFAULT CHARSET='utf8mb4; ${CANARY}; --';`, `'utf8mb4; ${CANARY}; --'`],
  [`CREATE TABLE x (id int) CHARACTER SET = "latin1 ${CANARY}";`, `"latin1 ${CANARY}"`],
  [`CREATE TABLE x (id int) COLLATE="utf8mb4_bin; ${CANARY}";`, `"utf8mb4_bin; ${CANARY}"`],
  [`CREATE TABLE x (id int) ROW_FORMAT=\`DYNAMIC; ${CANARY}\`;`, `\`DYNAMIC; ${CANARY}\``],
  [`CREATE TABLE x (id int) ENGINE=nosuchengine;`, 'nosuchengine'],
  [`CREATE TABLE x (id int CHARACTER SET \`latin1; ${CANARY}\`);`, `\`latin1; ${CANARY}\``],
  [`CREATE TABLE x (id int CHARSET 'nosuch');`, `'nosuch'`],
  [`CREATE TABLE x (id varchar(3) COLLATE 'latin1_bin; ${CANARY}');`, `'latin1_bin; ${CANARY}'`],
  [`CREATE TABLE x (id int) ENGINE=MERGE UNION=(a, 'b; ${CANARY}');`, `'b; ${CANARY}'`],
  [`CREATE TABLE x (id int) TABLESPACE=\`t\0s\`;`, '`t\0s`'],
  [`CREATE TABLE x (id int DEFAULT x'; ${CANARY}; --');`, `x'; ${CANARY}; --'`],
  [`CREATE TABLE x (id int, CHECK (id <> x'zz'));`, `x'zz'`],
  [`CREATE TABLE \`x \` (id int);`, '`x `'],
  [`CREATE TABLE x (id int, KEY k (id) USING \`BTREE; ${CANARY}\`);`, `\`BTREE; ${CANARY}\``],
  [`CREATE TABLE x (id int, KEY k USING 'HASH' (id));`, `'HASH'`],
  [`CREATE TABLE x (\`e\u{1F600}\` int);`, '`e\u{1F600}`'],
  [`CREATE TABLE x (id int COMMENT 'smile \u{1F600}');`, `'smile \u{1F600}'`],
  [`CREATE TABLE x (id int) COMMENT='smile \u{1F600}';`, `'smile \u{1F600}'`],
  [`CREATE TABLE x (id varchar(9) DEFAULT 'smile \u{1F600}');`, `'smile \u{1F600}'`],
  [`CREATE TABLE x (id enum('a', 'smile \u{1F600}'));`, `'smile \u{1F600}'`],
  [`CREATE TABLE x (id int, KEY k (id) COMMENT 'nul \\0 here');`, `'nul \\0 here'`],
  [`CREATE TABLE x (id int) COMMENT 'nul \\0 here';`, `'nul \\0 here'`],
];

test('a value that is not an identifier, a literal or a closed-list word is an error at its range that names it', () => {
  for (const [src, at] of REFUSED) {
    const errors = parseSchemaFile('x.sql', src).problems.filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1, `${src}: ${JSON.stringify(errors.map((e) => e.message))}`);
    assert.equal(src.slice(errors[0].range.start.offset, errors[0].range.end.offset), at, src);
  }
  const [engine] = parseSchemaFile('x.sql', REFUSED[0][0]).problems;
  assert.match(engine.message, /"InnoDB; DROP DATABASE canary; --" is not an engine schemabranch can write into SQL; use one of InnoDB, MyISAM, Aria/);
});

/** Quoted values that are closed-list words, and text that re-renders safely: written as single words, identifiers and literals. */
const RENDERED: Array<[string, string]> = [
  ["CREATE TABLE x (id int) ENGINE='innodb' CHARSET=`UTF8MB4` COLLATE \"utf8mb4_bin\" ROW_FORMAT='compact';", ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=COMPACT'],
  ['CREATE TABLE x (id int) ENGINE=MERGE UNION=(a, `b``; --`) INSERT_METHOD=LAST;', ') ENGINE=MRG_MyISAM INSERT_METHOD=LAST UNION=(`a`,`b``; --`)'],
  ["CREATE TABLE x (id int) TABLESPACE=`ts; x` CONNECTION='a''b\\\\c';", ") CONNECTION='a''b\\\\c' TABLESPACE=`ts; x`"],
  ['CREATE TABLE x (id int) TABLESPACE `innodb_system` STATS_PERSISTENT=1;', ') STATS_PERSISTENT=1 TABLESPACE=INNODB_SYSTEM'],
  ['CREATE TABLE x (id int, CHECK (`f; DROP DATABASE canary; -- `(id) > - -1));', 'CHECK (`f; DROP DATABASE canary; -- `(`id`) > - -1)'],
  ["CREATE TABLE x (id int) PARTITION BY LIST (id) (PARTITION `p;0` VALUES IN (1) COMMENT = 'a''; -- b' /* dropped */);", "partition by list(id) (partition `p;0` values in(1) comment = 'a''; -- b')"],
];

test('quoted words, names and literals come out as one word, a backticked name or a quoteString literal', () => {
  for (const [src, expected] of RENDERED) {
    const r = parseSchemaFile('x.sql', src);
    assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), [], src);
    const sql = renderCreateTable(r.tables[0]);
    assert.ok(sql.includes(expected), `${src}\n=> ${sql}`);
  }
});
