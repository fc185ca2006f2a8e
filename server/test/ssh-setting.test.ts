/**
 * The editor's machine-scoped `schemabranch.ssh.*` settings reach the
 * language server's connection (as initialization options, never from the
 * workspace): with one set, the server goes through the tunnel (here it
 * refuses for want of a key, before anything reaches the database).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResponseError } from 'vscode-jsonrpc';
import { testTarget } from '../../test/support/server.js';
import * as P from '../src/protocol.js';
import { makeWorkspace, startClient } from './support/lsp.js';

async function messageOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as ResponseError<P.UnavailableReason>).data?.message ?? (err as Error).message;
  }
}

test('an SSH tunnel from the user settings is what the server connects through', async () => {
  const db = await testTarget();
  const ws = makeWorkspace({ 'schemabranch.json': JSON.stringify({ database: 'sshsetting', connection: { url: `mysql://${db.user}@127.0.0.1:${db.port}` } }), 'schema/main/t.sql': 'CREATE TABLE t (id INT PRIMARY KEY);\n' });
  const direct = await startClient(ws.root, { env: {} });
  const tunnelled = await startClient(ws.root, { initializationOptions: { ssh: 'ssh://deploy@127.0.0.1:1' }, env: {} });
  try {
    assert.equal(await messageOf(direct.conn.sendRequest(P.ListDeployRequests.type, {})), undefined, 'without the setting the server is reached directly');
    assert.match((await messageOf(tunnelled.conn.sendRequest(P.ListDeployRequests.type, {}))) ?? '', /SSH tunnel needs a key/);
  } finally {
    await direct.close();
    await tunnelled.close();
    ws.remove();
  }
});
