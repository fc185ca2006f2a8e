/**
 * The workspace ends on what is on disk, whatever the file events said: a folder rewritten
 * by removing and copying files (a revert, a tool, a sync) reports events late, merged or
 * in the opposite order, and a late "deleted" once made main lose tables until the next edit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FileChangeType } from 'vscode-languageserver-protocol';
import { makeWorkspace, startClient } from './support/lsp.js';

const USERS = 'CREATE TABLE users (\n  id bigint NOT NULL,\n  PRIMARY KEY (id)\n);\n';
const ORDERS = 'CREATE TABLE orders (\n  id bigint NOT NULL,\n  user_id bigint,\n  PRIMARY KEY (id),\n  KEY k (user_id),\n  CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)\n);\n';
const codesOf = (d: { code?: string | number }[] | undefined): string[] => (d ?? []).map((x) => String(x.code)).sort();

test('a "deleted" event for a file that is back on disk (removed, then copied again) leaves its table in the model', async () => {
  const ws = makeWorkspace({ 'schema/main/users.sql': USERS, 'schema/main/orders.sql': ORDERS });
  const c = await startClient(ws.root);
  try {
    const orders = ws.uri('schema/main/orders.sql');
    const users = ws.uri('schema/main/users.sql');
    assert.deepEqual(codesOf(c.diagnostics.get(orders)), [], 'orders references a users table that exists');

    // The copy's "created" arrived first (or was merged away); its "deleted" comes last.
    rmSync(join(ws.root, 'schema/main/users.sql'));
    ws.write('schema/main/users.sql', USERS);
    await c.filesChanged([{ uri: users, type: FileChangeType.Created }]);
    await c.filesChanged([{ uri: users, type: FileChangeType.Deleted }]);
    assert.deepEqual(codesOf(c.diagnostics.get(orders)), [], 'users.sql is on disk, so orders still finds its table');
    assert.ok(c.session.workspace.docs.has(join(ws.root, 'schema/main/users.sql')));

    // The same sequence within one batch, in either order.
    await c.filesChanged([
      { uri: users, type: FileChangeType.Created },
      { uri: users, type: FileChangeType.Deleted },
    ]);
    assert.deepEqual(codesOf(c.diagnostics.get(orders)), []);
    assert.deepEqual(c.diagnostics.get(users), []);
  } finally {
    await c.close();
    ws.remove();
  }
});

test('a "created" or "changed" event for a file already gone again removes it, with no "could not read" error', async () => {
  const ws = makeWorkspace({ 'schema/main/users.sql': USERS, 'schema/main/orders.sql': ORDERS });
  const c = await startClient(ws.root);
  try {
    const orders = ws.uri('schema/main/orders.sql');
    const users = ws.uri('schema/main/users.sql');
    rmSync(join(ws.root, 'schema/main/users.sql'));
    // Only a "changed" arrives (a watcher that merged the delete away): the disk says the file is gone.
    await c.filesChanged([{ uri: users, type: FileChangeType.Changed }]);
    assert.deepEqual(codesOf(c.diagnostics.get(orders)), ['missing-fk-table'], 'users is gone from the model');
    assert.deepEqual(c.diagnostics.get(users), [], 'the vanished file keeps no diagnostics, no file-skipped error');

    ws.write('schema/main/users.sql', USERS);
    await c.filesChanged([{ uri: users, type: FileChangeType.Deleted }]);
    assert.deepEqual(codesOf(c.diagnostics.get(orders)), [], 'a late "deleted" for a file that is back loads it');
  } finally {
    await c.close();
    ws.remove();
  }
});
