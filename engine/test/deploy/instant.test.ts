/**
 * Instant deploy requests (issue 11): the server says whether a request can
 * be made by editing metadata; `deploy --instant` then changes the table
 * without rebuilding it while a writer inserts, keeps a revert window when the
 * change can be undone instantly, and the revert puts the old definition back
 * with every row. A request the server cannot make instantly is refused before
 * anything changes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { NotInstantError } from '../../src/deploy/instant.js';
import { countIds, fixture, NOTES, USERS, writer } from './fixture.js';
import { waitUntil } from '../../../test/support/wait.js';

const USERS_WITH_NULLABLE_NICK = USERS.replace('NOT NULL, PRIMARY KEY', "NOT NULL, nick varchar(20) DEFAULT NULL, PRIMARY KEY");

async function tableId(f: Awaited<ReturnType<typeof fixture>>): Promise<string> {
  const [r] = await f.conn.query<RowDataPacket[]>('SELECT TABLE_ID AS id FROM information_schema.INNODB_SYS_TABLES WHERE NAME = ?', [`${f.main}/users`]);
  return String(r[0]?.id);
}

test('deploy --instant adds a column without rebuilding the table while a writer inserts, and reverts instantly with every row', async () => {
  const f = await fixture({ rows: 20_000, branchSchema: [USERS_WITH_NULLABLE_NICK, NOTES] });
  try {
    const r = await f.dr.create(f.branch);
    const verdict = await f.dr.instantVerdict(r.id);
    assert.deepEqual({ instant: verdict.instant, revertible: verdict.revertible }, { instant: true, revertible: true }, verdict.why);
    const idBefore = await tableId(f);
    const w = writer(f.target, f.main);
    await waitUntil(() => w.ids.length >= 20, 'the writer is writing');
    const started = Date.now();
    const deployed = await f.dr.deploy(r.id, { instant: true });
    const tookMs = Date.now() - started;
    const during = await w.stop();
    assert.equal(deployed.state, 'complete_pending_revert');
    assert.equal(deployed.instantUndo?.length, 1);
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
    assert.equal(await tableId(f), idBefore, 'the table was not rebuilt');
    assert.equal(await countIds(f.conn, during), during.length);
    const history = (await f.dr.history(r.id)).map((e) => e.message);
    assert.ok(history.some((m) => /^deployed instantly: writes waited \d+ ms; revert possible/.test(m)), history.join(' | '));

    await f.conn.query("UPDATE users SET nick = 'set-in-window' WHERE id <= 5");
    const warnings: string[] = [];
    const w2 = writer(f.target, f.main);
    const reverted = await f.dr.revert(r.id, (x) => warnings.push(x));
    const duringRevert = await w2.stop();
    console.log(`[instant deploy request] 20000 rows, writer acknowledged ${during.length} during the deploy (${tookMs} ms) and ${duringRevert.length} during the revert; warnings: ${warnings.join(' ')}`);
    assert.equal(reverted.state, 'complete_revert');
    assert.deepEqual(await f.columns('users'), ['id', 'email']);
    assert.match(warnings.join(' '), /drops column `nick` of users/);
    assert.equal(await countIds(f.conn, [...during, ...duringRevert]), during.length + duringRevert.length);
    assert.equal(await f.count(), 20_000 + during.length + duringRevert.length);
  } finally {
    await f.cleanup();
  }
});

test('deploy --instant refuses a change the server cannot make without a copy (a changed column type) and changes nothing', async () => {
  const f = await fixture({ rows: 100, branchSchema: [USERS.replace('email varchar(100) NOT NULL', 'email text NOT NULL'), NOTES] });
  try {
    const r = await f.dr.create(f.branch);
    await assert.rejects(f.dr.deploy(r.id, { instant: true }), (err: unknown) => err instanceof NotInstantError && /cannot change users without a copy \(/.test(err.message) && /deploy it without --instant/.test(err.message));
    assert.equal((await f.dr.show(r.id)).state, 'open');
    assert.deepEqual(await f.columns('users'), ['id', 'email']);
  } finally {
    await f.cleanup();
  }
});

test('an instant deploy that cannot be undone instantly (a widened column) says so and completes with no revert window', async () => {
  const f = await fixture({ rows: 100, branchSchema: [USERS.replace('email varchar(100)', 'email varchar(120)'), NOTES] });
  try {
    const r = await f.dr.create(f.branch);
    const verdict = await f.dr.instantVerdict(r.id);
    assert.deepEqual({ instant: verdict.instant, revertible: verdict.revertible }, { instant: true, revertible: false }, verdict.why);
    assert.match(verdict.why, /not revertible: users: the server cannot undo it without a copy/);
    const done = await f.dr.deploy(r.id, { instant: true });
    assert.equal(done.state, 'complete');
    assert.equal(done.instantUndo, null);
  } finally {
    await f.cleanup();
  }
});

test('an added index deploys by the server online ALTER (NOCOPY) under a writer, and reverts by dropping it', async () => {
  const f = await fixture({ rows: 20_000, branchSchema: [USERS.replace('PRIMARY KEY (id)', 'PRIMARY KEY (id), KEY idx_users_nick (email)'), NOTES] });
  try {
    const r = await f.dr.create(f.branch);
    const verdict = await f.dr.instantVerdict(r.id);
    assert.deepEqual({ instant: verdict.instant, method: verdict.method, revertible: verdict.revertible }, { instant: true, method: 'in-server', revertible: true }, verdict.why);
    assert.match(verdict.why, /replicas apply it as one long statement/);
    const w = writer(f.target, f.main);
    const deployed = await f.dr.deploy(r.id, { instant: true });
    const during = await w.stop();
    assert.equal(deployed.state, 'complete_pending_revert');
    const [idx] = await f.conn.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'users' AND INDEX_NAME = 'idx_users_nick'", [f.main]);
    assert.equal(Number(idx[0]!.n), 1);
    assert.equal(await countIds(f.conn, during), during.length);
    const reverted = await f.dr.revert(r.id);
    assert.equal(reverted.state, 'complete_revert');
    const [gone] = await f.conn.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'users' AND INDEX_NAME = 'idx_users_nick'", [f.main]);
    assert.equal(Number(gone[0]!.n), 0);
    assert.equal(await f.count(), 20_000 + during.length);
  } finally {
    await f.cleanup();
  }
});
