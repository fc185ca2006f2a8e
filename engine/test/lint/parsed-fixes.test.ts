/**
 * End to end through the real parser and the real server: lint a file, apply
 * every offered fix at once, and check that the result parses cleanly, lints
 * clean, and is accepted by the server as written.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSchema, type LintFix, type Violation } from '../../src/lint/index.js';
import { parseSchemaFile } from '../../src/schema/parse.js';
import { connect, freshDatabase } from '../../../test/support/server.js';

const FILE = 'schema/main/legacy.sql';
const SQL = `-- Tables a lint run should find plenty in.
CREATE TABLE legacy (
  name varchar(50) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL,
  born date DEFAULT '0000-00-00',
  n int,
  KEY n1 (n),
  KEY n2 (n),
  KEY nn (n, name)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE counters (
  id int(11) NOT NULL AUTO_INCREMENT,
  note varchar(10),
  PRIMARY KEY (id)
);
`;

function lintText(text: string): { violations: Violation[]; problems: unknown[] } {
  const parsed = parseSchemaFile(FILE, text);
  return { violations: lintSchema({ tables: parsed.tables }, {}, undefined, { [FILE]: text }), problems: parsed.problems };
}

function applyAll(text: string, fixes: LintFix[]): string {
  const edits = fixes.flatMap((f) => f.edits).sort((a, b) => b.range.start.offset - a.range.start.offset);
  for (let i = 1; i < edits.length; i++) assert.ok(edits[i].range.end.offset <= edits[i - 1].range.start.offset, 'fixes must not overlap');
  let out = text;
  for (const e of edits) {
    assert.equal(e.file, FILE);
    // Line/character and offset must agree, or the editor and the CLI would edit different places.
    const before = text.slice(0, e.range.start.offset).split('\n');
    assert.deepEqual([e.range.start.line, e.range.start.character], [before.length - 1, before[before.length - 1].length]);
    out = out.slice(0, e.range.start.offset) + e.newText + out.slice(e.range.end.offset);
  }
  return out;
}

test('parsed file: findings point at the right lines', () => {
  const { violations, problems } = lintText(SQL);
  assert.deepEqual(problems, []);
  const at = violations.map((v) => `${v.code}@${(v.source?.range.start.line ?? -1) + 1}`).sort();
  assert.deepEqual(at, [
    'auto-increment-capacity@12',
    'charset-allowlist@2',
    'charset-allowlist@3',
    'duplicate-index@7',
    'no-primary-key@2',
    'redundant-index@6',
    'zero-date@4',
  ]);
  assert.ok(violations.every((v) => v.fix), 'every finding in this file has a mechanical fix');
});

test('applying every fix gives a file that lints clean and that the server accepts', async () => {
  const { violations } = lintText(SQL);
  const fixed = applyAll(SQL, violations.map((v) => v.fix!));
  assert.equal(
    fixed,
    `-- Tables a lint run should find plenty in.
CREATE TABLE legacy (
  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  born date DEFAULT NULL,
  n int,
  KEY nn (n, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE counters (
  id bigint unsigned NOT NULL AUTO_INCREMENT,
  note varchar(10),
  PRIMARY KEY (id)
);
`,
  );
  const again = lintText(fixed);
  assert.deepEqual(again.problems, []);
  assert.deepEqual(again.violations, []);

  const db = await freshDatabase('lint');
  const conn = await connect(db.target, db.database);
  try {
    await conn.query(fixed);
    const [rows] = (await conn.query('SHOW CREATE TABLE legacy')) as unknown as [Array<Record<string, string>>];
    assert.match(rows[0]['Create Table'], /DEFAULT CHARSET=utf8mb4/);
    assert.match(rows[0]['Create Table'], /PRIMARY KEY \(`id`\)/);
  } finally {
    await conn.end();
    await db.drop();
  }
});

test('nolint comments from the parser silence their table only', () => {
  const text = `-- schemabranch:nolint no-primary-key, float-double\nCREATE TABLE a (f float);\nCREATE TABLE b (f float);\n`;
  const { violations } = lintText(text);
  assert.deepEqual(violations.map((v) => `${v.table}:${v.code}`).sort(), ['b:float-double', 'b:no-primary-key']);
});
