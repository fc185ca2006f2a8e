/** The workspace follows the disk: created, changed, deleted, renamed files, folders, git checkouts, the config. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DidChangeConfigurationNotification, DidCloseTextDocumentNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { makeWorkspace, startClient } from './support/lsp.js';

const USERS = 'CREATE TABLE users (\n  id bigint NOT NULL,\n  PRIMARY KEY (id)\n);\n';
const ORDERS = 'CREATE TABLE orders (\n  id bigint NOT NULL,\n  user_id bigint,\n  PRIMARY KEY (id),\n  KEY k (user_id),\n  CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)\n);\n';
const codesOf = (d: { code?: string | number }[] | undefined): string[] => (d ?? []).map((x) => String(x.code)).sort();

test('files created, changed, deleted and renamed on disk keep the branch model current', async () => {
  const ws = makeWorkspace({ 'schema/main/orders.sql': ORDERS });
  const c = await startClient(ws.root);
  try {
    const orders = ws.uri('schema/main/orders.sql');
    assert.ok(codesOf(c.diagnostics.get(orders)).includes('missing-fk-table'));

    ws.write('schema/main/users.sql', USERS);
    await c.filesChanged([{ uri: ws.uri('schema/main/users.sql'), type: FileChangeType.Created }]);
    assert.ok(!codesOf(c.diagnostics.get(orders)).includes('missing-fk-table'));
    assert.deepEqual(c.diagnostics.get(ws.uri('schema/main/users.sql')), []);

    ws.write('schema/main/users.sql', USERS.replace('id bigint', 'uid bigint').replace('(id)', '(uid)'));
    await c.filesChanged([{ uri: ws.uri('schema/main/users.sql'), type: FileChangeType.Changed }]);
    assert.ok(codesOf(c.diagnostics.get(orders)).includes('missing-fk-column'));

    renameSync(join(ws.root, 'schema/main/users.sql'), join(ws.root, 'schema/main/people.sql'));
    await c.filesChanged([
      { uri: ws.uri('schema/main/users.sql'), type: FileChangeType.Deleted },
      { uri: ws.uri('schema/main/people.sql'), type: FileChangeType.Created },
    ]);
    assert.deepEqual(c.diagnostics.get(ws.uri('schema/main/users.sql')), [], 'a renamed-away file keeps no diagnostics');
    assert.ok(c.diagnostics.has(ws.uri('schema/main/people.sql')));

    rmSync(join(ws.root, 'schema/main/people.sql'));
    await c.filesChanged([{ uri: ws.uri('schema/main/people.sql'), type: FileChangeType.Deleted }]);
    assert.ok(codesOf(c.diagnostics.get(orders)).includes('missing-fk-table'));
  } finally {
    await c.close();
    ws.remove();
  }
});

test('an open buffer wins over the disk until it is closed', async () => {
  const ws = makeWorkspace({ 'schema/main/users.sql': USERS, 'schema/main/orders.sql': ORDERS });
  const c = await startClient(ws.root);
  try {
    const users = ws.uri('schema/main/users.sql');
    await c.open(users, 'CREATE TABLE users (\n  id bigint NOT NULL\n);\n');
    ws.write('schema/main/users.sql', 'CREATE TABLE users (id bigint NOT NULL, PRIMARY KEY (id), KEY broken (nope));\n');
    await c.filesChanged([{ uri: users, type: FileChangeType.Changed }]);
    assert.deepEqual(codesOf(c.diagnostics.get(users)), ['no-primary-key'], 'the buffer, not the disk, is checked');
    const fromDisk = c.nextDiagnostics(users);
    await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: users } });
    assert.deepEqual(codesOf(await fromDisk), ['missing-index-column']);
  } finally {
    await c.close();
    ws.remove();
  }
});

test('a deleted branch folder takes its files with it; a git checkout re-reads everything', async () => {
  const ws = makeWorkspace({ 'schema/main/users.sql': USERS, 'schema/feature/users.sql': USERS, 'schema/feature/orders.sql': ORDERS, '.git/HEAD': 'ref: refs/heads/a\n' });
  const c = await startClient(ws.root);
  try {
    rmSync(join(ws.root, 'schema/feature'), { recursive: true });
    await c.filesChanged([{ uri: ws.uri('schema/feature'), type: FileChangeType.Deleted }]);
    assert.deepEqual(c.session.workspace.branches(), ['main']);
    assert.deepEqual(c.diagnostics.get(ws.uri('schema/feature/orders.sql')), []);

    // A checkout rewrites files; the editor may report only .git/HEAD.
    ws.write('schema/main/users.sql', 'CREATE TABLE users (id int);\n');
    ws.write('schema/other/x.sql', 'CREATE TABLE x (id int NOT NULL PRIMARY KEY);\n');
    ws.write('.git/HEAD', 'ref: refs/heads/b\n');
    await c.filesChanged([{ uri: ws.uri('.git/HEAD'), type: FileChangeType.Changed }]);
    assert.deepEqual(c.session.workspace.branches(), ['main', 'other']);
    assert.deepEqual(codesOf(c.diagnostics.get(ws.uri('schema/main/users.sql'))), ['no-primary-key']);
  } finally {
    await c.close();
    ws.remove();
  }
});

test("schemabranch.json's schemaDir decides which folder holds the branches, and a change to it moves them", async () => {
  const ws = makeWorkspace({ 'schemabranch.json': '{ "schemaDir": "db" }', 'db/main/users.sql': USERS, 'schema/main/ignored.sql': 'CREATE TABLE ignored (a int);' });
  const c = await startClient(ws.root);
  try {
    assert.equal(c.status.health, 'ok');
    assert.ok(c.diagnostics.has(ws.uri('db/main/users.sql')));
    assert.ok(!c.diagnostics.has(ws.uri('schema/main/ignored.sql')));
    ws.write('schemabranch.json', '{ "schemaDir": "schema" }');
    await c.filesChanged([{ uri: ws.uri('schemabranch.json'), type: FileChangeType.Changed }]);
    assert.deepEqual(codesOf(c.diagnostics.get(ws.uri('schema/main/ignored.sql'))), ['no-primary-key']);
    assert.deepEqual(c.diagnostics.get(ws.uri('db/main/users.sql')), []);
  } finally {
    await c.close();
    ws.remove();
  }
});

test('a broken schemabranch.json is reported in the status, and the defaults keep the editor working', async () => {
  const ws = makeWorkspace({ 'schemabranch.json': '{ "schemaDir": 3 ', 'schema/main/t.sql': 'CREATE TABLE t (a int);' });
  const c = await startClient(ws.root);
  try {
    assert.equal(c.status.health, 'warning');
    assert.match(c.status.message, /schemabranch\.json/);
    assert.deepEqual(codesOf(c.diagnostics.get(ws.uri('schema/main/t.sql'))), ['no-primary-key']);
  } finally {
    await c.close();
    ws.remove();
  }
});

test("the editor's settings apply when there is no schemabranch.json, and follow workspace/didChangeConfiguration", async () => {
  const ws = makeWorkspace({ 'db/main/users.sql': USERS, 'schema/main/t.sql': 'CREATE TABLE t (a int);' });
  const c = await startClient(ws.root, { initializationOptions: { settings: { schemaFolder: 'db', lintSeverity: { 'no-primary-key': 'off' } } } });
  try {
    assert.ok(c.diagnostics.has(ws.uri('db/main/users.sql')));
    assert.ok(!c.diagnostics.has(ws.uri('schema/main/t.sql')));
    const moved = c.nextDiagnostics(ws.uri('schema/main/t.sql'));
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { schemabranch: { schemaFolder: 'schema', lint: { severity: {} } } } });
    assert.deepEqual(codesOf(await moved), ['no-primary-key']);
  } finally {
    await c.close();
    ws.remove();
  }
});

test('a keystroke re-parses the edited file only; closing a buffer whose text matches the disk re-parses nothing', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 50; i++) files[`schema/main/t${i}.sql`] = `CREATE TABLE t${i} (\n  id int NOT NULL,\n  PRIMARY KEY (id)\n);\n`;
  const ws = makeWorkspace(files);
  const c = await startClient(ws.root);
  try {
    const parses = (): number => c.session.workspace.parses.parses;
    assert.equal(parses(), 50);
    const uri = ws.uri('schema/main/t7.sql');
    await c.change(uri, files['schema/main/t7.sql'].replace('id int', 'id bigint'));
    assert.equal(parses(), 51);
    await c.change(uri, files['schema/main/t7.sql']);
    assert.equal(parses(), 52);
    await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await c.filesChanged([]); // no events: just waits until the server has handled the close
    assert.equal(c.session.workspace.documentByUri(uri)?.open, false);
    assert.equal(parses(), 52);
  } finally {
    await c.close();
    ws.remove();
  }
});
