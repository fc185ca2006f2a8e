/**
 * Restricted Mode and passwords bound to a server, spoken as real LSP. The
 * attacker's host is a fake MySQL server on a loopback port that records what
 * it receives; the password's own server is the real test server.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol';
import { ResponseError } from 'vscode-jsonrpc';
import { parseServerUrl, serverKey } from '../../engine/src/db/target.js';
import { quoteIdent } from '../../engine/src/sql/quote.js';
import { startFakeMysql } from '../../test/support/fake-mysql.js';
import { connect, testTarget } from '../../test/support/server.js';
import * as P from '../src/protocol.js';
import { cursor, makeWorkspace, startClient } from './support/lsp.js';

const PASSWORD = 'pw-bound-to-one-server';
const LOG_TABLE = 'CREATE TABLE |log (message TEXT);\n';

async function reasonOf(p: Promise<unknown>): Promise<P.UnavailableReason | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as ResponseError<P.UnavailableReason>).data;
  }
}

test('an untrusted workspace lints and hovers, and refuses database work without connecting or starting anything', async () => {
  const fake = await startFakeMysql();
  const url = `mysql://app@127.0.0.1:${fake.port}`;
  const { text, position } = cursor(LOG_TABLE);
  const named = makeWorkspace({ 'schemabranch.json': JSON.stringify({ connection: { url } }), 'schema/main/log.sql': text });
  const sandboxed = makeWorkspace({ 'schema/main/log.sql': text });
  // Everything a trusted session would need to connect and log in is there; Restricted Mode uses none of it.
  const env = { [P.SAVED_PASSWORDS_ENV]: JSON.stringify({ [serverKey(parseServerUrl(url))]: PASSWORD }), SCHEMABRANCH_PASSWORD: PASSWORD, SCHEMABRANCH_URL: url };
  const c = await startClient(named.root, { initializationOptions: { trusted: false }, env });
  const s = await startClient(sandboxed.root, { initializationOptions: { trusted: false }, env: {} });
  try {
    const uri = named.uri('schema/main/log.sql');
    const d = await c.nextDiagnostics(uri, (x) => x.length > 0, false);
    assert.ok(d.some((x) => x.code === 'no-primary-key'), 'lint runs');
    const h = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    assert.match((h?.contents as MarkupContent).value, /log/, 'hover answers');
    assert.deepEqual((await c.conn.sendRequest(P.BranchDiffRequest.type, { branch: 'main' })).changes, [], 'file-only requests answer');
    for (const [name, request] of [
      ['deployRequest/list', () => c.conn.sendRequest(P.ListDeployRequests.type, {})],
      ['branch/create', () => c.conn.sendRequest(P.CreateBranchRequest.type, { name: 'x' })],
      ['sandbox/start', () => s.conn.sendRequest(P.SandboxStartRequest.type, {})],
      ['sandbox/status', () => s.conn.sendRequest(P.SandboxStatusRequest.type, {})],
      ['deployRequest/list (sandbox)', () => s.conn.sendRequest(P.ListDeployRequests.type, {})],
    ] as const) {
      const r = await reasonOf(request());
      assert.equal(r?.reason, 'untrusted', `${name}: ${JSON.stringify(r)}`);
      assert.match(r?.message ?? '', /Restricted Mode.*Trust the workspace/);
    }
    assert.equal(fake.connections(), 0, 'nothing connected to the configured server');
    assert.equal(existsSync(join(sandboxed.root, '.schemabranch')), false, 'no sandbox was started');

    // The same workspace trusted does connect and log in: the checks above can fail.
    const trusted = await startClient(named.root, { env });
    try {
      assert.equal((await reasonOf(trusted.conn.sendRequest(P.ListDeployRequests.type, {})))?.reason, 'no-password');
      assert.ok(fake.connections() > 0 && fake.sawPassword(PASSWORD));
    } finally {
      await trusted.close();
    }
  } finally {
    await c.close();
    await s.close();
    named.remove();
    sandboxed.remove();
    await fake.close();
  }
});

test("a saved password never reaches a server the repository names instead of the one it was saved for", async () => {
  const fake = await startFakeMysql();
  const ws = makeWorkspace({ 'schemabranch.json': JSON.stringify({ connection: { url: `mysql://app@127.0.0.1:${fake.port}` } }), 'schema/main/log.sql': 'CREATE TABLE log (id INT PRIMARY KEY);\n' });
  // Saved for the same user on the real host, and for the same host on another port: neither is the fake's key.
  const saved = { 'app@db.internal:3306': PASSWORD, [`app@127.0.0.1:${fake.port + 1}`]: PASSWORD };
  const c = await startClient(ws.root, { env: { [P.SAVED_PASSWORDS_ENV]: JSON.stringify(saved) } });
  const withEnv = await startClient(ws.root, { env: { SCHEMABRANCH_PASSWORD: 'from-the-shell' } });
  try {
    assert.deepEqual(await c.conn.sendRequest(P.ConnectionTargetRequest.type, {}), { source: 'workspace', key: `app@127.0.0.1:${fake.port}` });
    assert.equal((await reasonOf(c.conn.sendRequest(P.ListDeployRequests.type, {})))?.reason, 'no-password');
    assert.ok(fake.connections() > 0, 'it did connect, without a password');
    assert.equal(fake.sawPassword(PASSWORD), false);
    const before = fake.connections();
    const r = await reasonOf(withEnv.conn.sendRequest(P.ListDeployRequests.type, {}));
    assert.match(r?.message ?? '', /only sent to a server you name yourself/);
    assert.equal(fake.connections(), before, 'SCHEMABRANCH_PASSWORD without SCHEMABRANCH_URL: not even a connection');
  } finally {
    await c.close();
    await withEnv.close();
    ws.remove();
    await fake.close();
  }
});

test('the password reaches its own server and never the wire (what a verbose LSP trace shows)', async () => {
  const target = await testTarget();
  const user = `sec_${randomBytes(3).toString('hex')}`;
  const database = `sec_${randomBytes(3).toString('hex')}`;
  const admin = await connect(target);
  const q = quoteIdent(user);
  await admin.query(`CREATE USER ${q}@'%' IDENTIFIED BY '${PASSWORD}'; CREATE USER ${q}@'localhost' IDENTIFIED BY '${PASSWORD}'; GRANT ALL ON *.* TO ${q}@'%'; GRANT ALL ON *.* TO ${q}@'localhost'`);
  const url = target.socketPath ? `mysql://${user}@localhost?socket=${encodeURIComponent(target.socketPath)}` : `mysql://${user}@${target.host ?? '127.0.0.1'}:${target.port ?? 3306}`;
  const { text, position } = cursor(LOG_TABLE.replace('(message TEXT)', '(id INT PRIMARY KEY)'));
  const ws = makeWorkspace({ 'schemabranch.json': JSON.stringify({ database, connection: { url } }), 'schema/main/log.sql': text });
  const wire: Buffer[] = [];
  const c = await startClient(ws.root, { env: { [P.SAVED_PASSWORDS_ENV]: JSON.stringify({ [serverKey(parseServerUrl(url))]: PASSWORD }) }, wire: (b) => wire.push(b) });
  try {
    assert.deepEqual(await c.conn.sendRequest(P.ListDeployRequests.type, {}), [], 'logged in with the saved password');
    await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: ws.uri('schema/main/log.sql') }, position });
    await c.conn.sendRequest(P.PushBranchRequest.type, { name: 'main' });
    const all = Buffer.concat(wire).toString('utf8');
    assert.ok(all.includes(P.ListDeployRequests.method) && all.includes('"method":"initialize"') && all.includes(P.PushBranchRequest.method), 'the capture saw the traffic');
    assert.ok(!all.includes(PASSWORD), 'the password is on the wire');
  } finally {
    await c.close();
    ws.remove();
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}; DROP USER ${q}@'%'; DROP USER ${q}@'localhost'`);
    await admin.end();
  }
});

test("a password typed into the workspace's URL is never echoed in warnings, status or failures", async () => {
  const ws = makeWorkspace({ 'schemabranch.json': JSON.stringify({ connection: { url: `mysql://app:${PASSWORD}@db.example:3306` } }), 'schema/main/log.sql': 'CREATE TABLE log (id INT PRIMARY KEY);\n' });
  const wire: Buffer[] = [];
  const c = await startClient(ws.root, { wire: (b) => wire.push(b) });
  try {
    // The warning (a showMessage request, also logged) and the status bar name the field, without the password.
    assert.match(c.status.message, /connection\.url is "mysql:\/\/app:\*\*\*@db\.example:3306"/);
    assert.equal((await reasonOf(c.conn.sendRequest(P.ListDeployRequests.type, {})))?.reason, 'no-config');
    assert.ok(!Buffer.concat(wire).toString('utf8').includes(PASSWORD), 'the password is on the wire');
  } finally {
    await c.close();
    ws.remove();
  }
});
