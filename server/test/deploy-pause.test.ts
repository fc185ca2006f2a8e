/**
 * schemabranch/deployRequest/pause and /resume against a real server: the
 * copy runs in another DeployRequests (as the CLI would, in its own process),
 * so the language server reaches it only through the store's paused flag.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ServerTarget } from '../../engine/src/db/target.js';
import type { DeployProgress } from '../../engine/src/deploy/events.js';
import { DeployRequests } from '../../engine/src/deploy/requests.js';
import { quoteIdent } from '../../engine/src/sql/quote.js';
import { connect, testTarget } from '../../test/support/server.js';
import { numbers } from '../../engine/test/deploy/fixture.js';
import * as P from '../src/protocol.js';
import { makeWorkspace, startClient, type TestClient } from './support/lsp.js';

const USERS = 'CREATE TABLE users (\n  id int unsigned NOT NULL AUTO_INCREMENT,\n  email varchar(100) NOT NULL,\n  PRIMARY KEY (id)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n';
const USERS_NICK = USERS.replace('  PRIMARY KEY (id)', "  nick varchar(20) NOT NULL DEFAULT '',\n  PRIMARY KEY (id),\n  KEY idx_nick (nick)");
const ROWS = 150_000;

let target: ServerTarget;
const database = `lsp_${randomBytes(4).toString('hex')}`;
const ws = makeWorkspace({ 'schema/main/users.sql': USERS, 'schema/feature/users.sql': USERS_NICK });
let c: TestClient;
let runner: DeployRequests;

before(async () => {
  target = await testTarget();
  const conn = await connect(target);
  try {
    await conn.query(`CREATE DATABASE ${quoteIdent(database)}; CREATE DATABASE ${quoteIdent(`${database}__feature`)}`);
    await conn.query(`USE ${quoteIdent(database)}; ${USERS} INSERT INTO users (email) SELECT CONCAT('u', n, '@example.com') FROM (${numbers(ROWS)}) seq`);
    await conn.query(`USE ${quoteIdent(`${database}__feature`)}; ${USERS_NICK}`);
  } finally {
    await conn.end();
  }
  const url = target.socketPath ? `mysql://${target.user}@localhost?socket=${encodeURIComponent(target.socketPath)}` : `mysql://${target.user}@${target.host ?? '127.0.0.1'}:${target.port ?? 3306}`;
  ws.write('schemabranch.json', JSON.stringify({ database, connection: { url } }));
  c = await startClient(ws.root);
  runner = new DeployRequests({ target, mainDatabase: database, branchDatabase: (b) => `${database}__${b}`, migration: { chunkTargetMs: 5 } });
});
after(async () => {
  await c?.close();
  await runner?.dispose();
  const conn = await connect(target);
  try {
    await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}; DROP DATABASE IF EXISTS ${quoteIdent(`${database}__feature`)}`);
  } finally {
    await conn.end();
  }
  ws.remove();
});

function progressOf(id: number, match: (p: DeployProgress) => boolean): Promise<DeployProgress> {
  return new Promise((resolve) => {
    const on = (p: DeployProgress) => {
      if (p.id === id && match(p)) {
        runner.events.off('progress', on);
        resolve(p);
      }
    };
    runner.events.on('progress', on);
  });
}

test('pause and resume a copy that another process runs; both refused, naming the state, when it is not copying', async () => {
  const r = await c.conn.sendRequest(P.CreateDeployRequest.type, { branch: 'feature' });
  await assert.rejects(c.conn.sendRequest(P.PauseDeployRequest.type, { number: r.number }), new RegExp(`deploy request #${r.number} is open; only a request that is copying rows \\(in_progress\\) can be paused`));
  await assert.rejects(c.conn.sendRequest(P.ResumeDeployRequest.type, { number: r.number }), new RegExp(`deploy request #${r.number} is open; .* can be resumed`));

  const copying = progressOf(r.number, (p) => p.phase === 'copying');
  const paused = progressOf(r.number, (p) => p.paused === true);
  // Each chunk held 30 ms (the event loop blocked), so the copy is still going when the pause arrives.
  const hold = new Int32Array(new SharedArrayBuffer(4));
  const deploying = runner.deploy(r.number, { onProgress: (_t, phase, isPaused) => void (phase === 'copying' && !isPaused && Atomics.wait(hold, 0, 0, 30)) });
  deploying.catch(() => undefined);
  await copying;
  const info = await c.conn.sendRequest(P.PauseDeployRequest.type, { number: r.number });
  assert.equal(info.state, 'in_progress');
  assert.equal(info.paused, true);
  await Promise.race([paused, deploying.then((x) => Promise.reject(new Error(`the copy ended (${x.state}) before the pause reached it`)))]);
  const listed = await c.conn.sendRequest(P.ListDeployRequests.type, { states: ['in_progress'] });
  assert.equal(listed.find((x) => x.number === r.number)?.paused, true, 'list shows it paused');

  const resumed = await c.conn.sendRequest(P.ResumeDeployRequest.type, { number: r.number });
  assert.equal(resumed.paused, undefined);
  assert.equal((await deploying).state, 'complete_pending_revert');
  await assert.rejects(c.conn.sendRequest(P.PauseDeployRequest.type, { number: r.number }), /is complete_pending_revert; only a request that is copying rows/);
});
