/** The entry point as another editor runs it: `server/src/main.ts --stdio`, a child process speaking LSP on stdin/stdout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { ExitNotification, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, ShutdownRequest, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ServerStatusNotification } from '../src/protocol.js';
import { makeWorkspace } from './support/lsp.js';

test('main.ts --stdio: initialize, diagnostics for the workspace, status, shutdown and exit with code 0', async () => {
  const ws = makeWorkspace({ 'schema/main/t.sql': 'CREATE TABLE t (a int);\n' });
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'src', 'main.ts'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  try {
    const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) => conn.onNotification(PublishDiagnosticsNotification.type, resolve));
    const status = new Promise((resolve) => conn.onNotification(ServerStatusNotification.type, resolve));
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    const init = await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(ws.root).toString(), capabilities: {}, workspaceFolders: null });
    assert.equal(init.serverInfo?.name, 'schemabranch');
    await conn.sendNotification(InitializedNotification.type, {});
    const d = await diagnostics;
    assert.equal(d.uri, pathToFileURL(join(ws.root, 'schema/main/t.sql')).toString());
    assert.deepEqual(d.diagnostics.map((x) => x.code), ['no-primary-key']);
    await status;
    await conn.sendRequest(ShutdownRequest.type);
    const exited = once(child, 'exit');
    await conn.sendNotification(ExitNotification.type);
    const [code] = await exited;
    assert.equal(code, 0);
  } finally {
    conn.dispose();
    if (child.exitCode === null) child.kill();
    ws.remove();
  }
});
