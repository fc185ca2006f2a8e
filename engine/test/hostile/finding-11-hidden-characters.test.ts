/**
 * Issue 9, finding 11: the CLI prints every statement before it sends it (the probe's
 * definitions, `diff`, `branch push`), but printed them raw. A file could hold an
 * escape sequence (ESC [8m conceals text on most terminals, a lone CR overwrites a line)
 * or a bidirectional override ("Trojan Source"), so that what the terminal showed was
 * not what was sent: a procedure's `DELETE FROM users` vanished from the screen. Such
 * characters in a schema file are now a located error (`hidden-character`), in the CLI
 * and the editor alike, so nothing holding them is probed or pushed; and the CLI's human
 * output writes any that come from elsewhere (a file's name, a server's message) as
 * `<U+001B>`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSchemaBytes, fileTextProblem } from '../../src/schema/file-text.js';
import { cli } from '../../../cli/test/run-cli.js';
import { startClient } from '../../../server/test/support/lsp.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { hostileRepo, TABLE } from './repo.js';

const CONCEAL = '\x1b[8m';
const REVEAL = '\x1b[28m';
const HIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

test('finding 11: a file hiding SQL from the terminal is an error at the character, in the CLI and the editor; nothing is probed or pushed', async () => {
  const db = await freshDatabase('hostile11');
  const repo = hostileRepo({
    'schema/main/users.sql': TABLE,
    'schema/feat/users.sql': TABLE,
    // On a terminal: CREATE PROCEDURE tidy() BEGIN /**/ SELECT 1; END
    'schema/feat/tidy.sql': `CREATE PROCEDURE tidy() BEGIN /*${CONCEAL}*/ DELETE FROM users; /*${REVEAL}*/ SELECT 1; END;\n`,
    // A lone CR and a right-to-left override, in a table's comment and in a view.
    'schema/feat/notes.sql': `CREATE TABLE notes (\n  id int NOT NULL PRIMARY KEY COMMENT 'safe\rDROP'\n);\n`,
    'schema/feat/v.sql': `CREATE VIEW v AS SELECT id /* \u202e */ FROM users;\n`,
  });
  try {
    repo.write('schemabranch.json', JSON.stringify({ database: db.database, connection: { url: `mysql://root@localhost?socket=${db.target.socketPath}` } }));
    for (const args of [['lint', 'feat'], ['diff', 'feat'], ['branch', 'push', '--dry-run', 'feat'], ['branch', 'push', 'feat']]) {
      const r = await cli(['--dir', repo.root, ...args]);
      const out = r.stdout + r.stderr;
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(out, /schema\/feat\/tidy\.sql:1:33: error: This file holds a control character \(U\+001B\) that a terminal does not show as written.*\[hidden-character\]/, args.join(' '));
      assert.match(out, /schema\/feat\/notes\.sql:2:44: error: This file holds a control character \(U\+000D\)/);
      assert.match(out, /schema\/feat\/v\.sql:1:31: error: This file holds a bidirectional-text control \(U\+202E\)/);
      assert.doesNotMatch(out, HIDDEN, `${args.join(' ')} printed a hidden character`);
      assert.doesNotMatch(out, /Comparing views/, 'no probe: nothing from the files was sent');
    }
    const list = await cli(['--dir', repo.root, 'branch', 'list']);
    assert.doesNotMatch(list.stdout + list.stderr, HIDDEN);
    assert.doesNotMatch(list.stdout + list.stderr, /Comparing views/, 'a branch with errors is not compared');
    const conn = await connect(db.target);
    const [dbs] = await conn.query('SHOW DATABASES LIKE ?', [`${db.database}%`]);
    await conn.end();
    assert.deepEqual((dbs as object[]).length, 1, 'no branch database was created');

    const c = await startClient(repo.root, { initializationOptions: { trusted: false } });
    try {
      const uri = c.session.workspace.documentsOf('feat').find((d) => d.path.endsWith('tidy.sql'))!.uri;
      const d = await c.nextDiagnostics(uri, (x) => x.some((p) => p.code === 'hidden-character'), false);
      const hidden = d.find((p) => p.code === 'hidden-character')!;
      assert.deepEqual([hidden.range.start, hidden.severity], [{ line: 0, character: 32 }, 1], 'the same place as the CLI (1:33), an error');
    } finally {
      await c.close();
    }
  } finally {
    repo.remove();
    await db.drop();
  }
});

test('finding 11: whatever else the CLI prints (here a file name) shows such characters instead of obeying them', async () => {
  const repo = hostileRepo({ 'schema/main/users.sql': TABLE, [`schema/main/${CONCEAL}x.sql`]: 'CREATE TABLE x (id int);\n' });
  try {
    const r = await cli(['--dir', repo.root, 'lint', 'main']);
    assert.doesNotMatch(r.stdout + r.stderr, HIDDEN);
    assert.match(r.stdout, /schema\/main\/<U\+001B>\[8mx\.sql:1:\d+: \w+: .*\[no-primary-key\]/, r.stdout);
  } finally {
    repo.remove();
  }
});

test('finding 11: tabs, CRLF line ends and right-to-left text stay allowed', async () => {
  const repo = hostileRepo({
    'schema/main/users.sql': TABLE.replace('  id', '\tid').replace(/\n/g, '\r\n'),
    'schema/main/names.sql': "CREATE TABLE names (\n  id int NOT NULL PRIMARY KEY COMMENT 'שלום \u200f'\n);\n",
  });
  try {
    const r = await cli(['--dir', repo.root, 'lint', 'main']);
    assert.doesNotMatch(r.stdout + r.stderr, /hidden-character/);
  } finally {
    repo.remove();
  }
});

test('finding 11: a NUL past the first 8 KB (which the binary check reads) is an error at its place too', () => {
  const text = `${TABLE}-- ${'x'.repeat(9000)}\nCREATE VIEW v AS SELECT 1 /* \0 */;\n`;
  const problem = fileTextProblem('v.sql', decodeSchemaBytes(Buffer.from(text)));
  assert.equal(problem?.code, 'hidden-character');
  assert.deepEqual(problem?.range.start, { line: 4, character: 29, offset: text.indexOf('\0') });
});
