import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeWorkspace, startClient } from './support/lsp.js';

test('smoke', async () => {
  const ws = makeWorkspace({ 'schema/main/users.sql': 'CREATE TABLE users (\n  id int NOT NULL,\n  PRIMARY KEY (id)\n);\n' });
  const c = await startClient(ws.root);
  console.log(c.status, [...c.diagnostics]);
  const d = await c.open(ws.uri('schema/main/users.sql'), 'CREATE TABLE users (\n  id int NOT NUL,\n  PRIMARY KEY (id)\n);\n');
  console.log(JSON.stringify(d));
  assert.ok(d.length > 0);
  await c.close();
  ws.remove();
});
