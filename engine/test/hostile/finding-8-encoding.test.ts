/**
 * Issue 9, finding 8: the CLI and the editor read files differently. A UTF-8
 * BOM gave "Syntax error 1:1" in the CLI and nothing in the editor; Latin-1
 * bytes passed CLI lint and `push` stored U+FFFD on the server. Now both read
 * through engine/src/schema/file-text.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli } from '../../../cli/test/run-cli.js';
import { startClient } from '../../../server/test/support/lsp.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { hostileRepo, TABLE } from './repo.js';

const LATIN1 = Buffer.concat([Buffer.from("CREATE TABLE l (\n  id int NOT NULL PRIMARY KEY,\n  n varchar(4) DEFAULT 'caf"), Buffer.from([0xe9]), Buffer.from("'\n);\n")]);

test('finding 8: a BOM is no error anywhere; Latin-1 is the same located error in the CLI and the editor, and is never pushed', async () => {
  const db = await freshDatabase('hostile8');
  const repo = hostileRepo({ 'schema/main/users.sql': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TABLE)]) });
  try {
    repo.write('schemabranch.json', JSON.stringify({ database: db.database, connection: { url: `mysql://root@localhost?socket=${db.target.socketPath}` } }));
    const clean = await cli(['--dir', repo.root, 'lint', 'main']);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);

    repo.write('schema/main/l.sql', LATIN1);
    const lint = await cli(['--dir', repo.root, 'lint', 'main']);
    assert.notEqual(lint.code, 0);
    assert.match(lint.stdout + lint.stderr, /schema\/main\/l\.sql:3:28: error: This file is not valid UTF-8 here.*Save it as UTF-8\. \[invalid-utf8\]/);
    const push = await cli(['--dir', repo.root, 'branch', 'push', 'main']);
    assert.notEqual(push.code, 0);
    assert.match(push.stderr, /l\.sql:3:28: error: This file is not valid UTF-8/);
    const conn = await connect(db.target, db.database);
    const [tables] = await conn.query('SHOW TABLES');
    await conn.end();
    assert.deepEqual(tables, [], 'nothing was pushed, so no U+FFFD reached the server');

    const c = await startClient(repo.root);
    try {
      const docs = c.session.workspace.documentsOf('main');
      const bom = c.diagnostics.get(docs.find((d) => d.path.endsWith('users.sql'))?.uri ?? '');
      assert.deepEqual(bom, [], 'the BOM file is clean in the editor too');
      const latin = c.diagnostics.get(docs.find((d) => d.path.endsWith('l.sql'))?.uri ?? '') ?? [];
      const utf = latin.find((d) => d.code === 'invalid-utf8');
      assert.deepEqual(utf?.range.start, { line: 2, character: 27 }, 'the same place as the CLI (3:28, 1-based)');
      assert.equal(utf?.severity, 1, 'an error, as in the CLI');
    } finally {
      await c.close();
    }
  } finally {
    repo.remove();
    await db.drop();
  }
});
