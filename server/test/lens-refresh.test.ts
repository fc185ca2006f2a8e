/**
 * The code lens follows the branch diff: when main's files or another buffer change what a
 * lens would say, the server asks the editor to fetch lenses again (workspace/codeLens/refresh),
 * and what it then gets is the new count. Edits that leave every count alone send nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeLensRequest, FileChangeType } from 'vscode-languageserver-protocol';
import { makeWorkspace, startClient, type TestClient } from './support/lsp.js';

const USERS = 'CREATE TABLE users (\n  id bigint NOT NULL,\n  email varchar(255) NOT NULL,\n  PRIMARY KEY (id)\n);\n';
const WIDER = USERS.replace('varchar(255)', 'varchar(320)');

const lensTitles = async (c: TestClient, uri: string): Promise<string[]> =>
  ((await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? []).map((l) => l.command?.title ?? '');

test("main's file changing on disk refreshes the branch's lenses, and they then say the new count", async () => {
  const ws = makeWorkspace({ 'schema/main/users.sql': USERS, 'schema/feature/users.sql': WIDER });
  const c = await startClient(ws.root, { codeLensRefresh: true });
  try {
    const feature = ws.uri('schema/feature/users.sql');
    await c.open(feature, WIDER);
    assert.deepEqual(await lensTitles(c, feature), ['1 change vs main — Preview']);
    const before = c.lensRefreshes;

    // main catches up with the branch (a deploy rewrote main's file): no change left.
    ws.write('schema/main/users.sql', WIDER);
    await c.filesChanged([{ uri: ws.uri('schema/main/users.sql'), type: FileChangeType.Changed }]);
    assert.equal(c.lensRefreshes, before + 1, 'the editor is told to ask for lenses again');
    assert.deepEqual(await lensTitles(c, feature), ['No changes vs main — Preview branch diff']);

    // A comment in the branch buffer changes no count: no refresh.
    await c.change(feature, `-- wider emails\n${WIDER}`);
    await c.session.idle();
    await c.roundTrip();
    assert.equal(c.lensRefreshes, before + 1, 'an edit that changes no count asks for nothing');

    // The revert puts main's file back: the lens says 1 change again.
    ws.write('schema/main/users.sql', USERS);
    await c.filesChanged([{ uri: ws.uri('schema/main/users.sql'), type: FileChangeType.Changed }]);
    assert.equal(c.lensRefreshes, before + 2);
    assert.deepEqual(await lensTitles(c, feature), ['1 change vs main — Preview']);
  } finally {
    await c.close();
    ws.remove();
  }
});

test('a client without refresh support is never sent workspace/codeLens/refresh', async () => {
  const ws = makeWorkspace({ 'schema/main/users.sql': USERS, 'schema/feature/users.sql': WIDER });
  const c = await startClient(ws.root);
  try {
    ws.write('schema/main/users.sql', WIDER);
    await c.filesChanged([{ uri: ws.uri('schema/main/users.sql'), type: FileChangeType.Changed }]);
    assert.deepEqual(await lensTitles(c, ws.uri('schema/feature/users.sql')), ['No changes vs main — Preview branch diff']);
    assert.equal(c.lensRefreshes, 0);
  } finally {
    await c.close();
    ws.remove();
  }
});
