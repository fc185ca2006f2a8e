import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testTarget } from '../../../test/support/server.js';
import { DeployStore, openConnection, openStorePool } from '../../src/deploy/store.js';
import { DeployStateError } from '../../src/deploy/state.js';
import { acquireLock, deployLockName, lockHolder, releaseLock } from '../../src/deploy/lock.js';
import type { LintVerdict } from '../../src/deploy/record.js';

const verdict: LintVerdict = { deployable: true, reasons: [], findings: [] };

function newRequest(target: string) {
  return {
    branch: 'feature-x',
    branchDatabase: `${target}__feature-x`,
    targetDatabase: target,
    changes: [{ table: 'users', kind: 'alter_table' as const, statement: 'ALTER TABLE `users` ADD COLUMN `nick` varchar(20)', alterSpec: 'ADD COLUMN `nick` varchar(20)', class: 'safe' as const, reasons: [] }],
    lint: verdict,
    mainFingerprints: { users: 'abc' },
    revertWindowSeconds: 60,
  };
}

test('the store is created and upgraded idempotently, from several connections at once', async () => {
  const pool = openStorePool(await testTarget());
  try {
    const store = new DeployStore(pool);
    await Promise.all([store.ensure(), store.ensure(), store.ensure()]);
    await store.ensure();
    const [cols] = await pool.query("SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '_schemabranch' AND TABLE_NAME = 'deploy_requests'");
    assert.equal(Number((cols as Array<{ n: number }>)[0].n), 30);
  } finally {
    await pool.end();
  }
});

test('insert, move and the event log; a refused move changes nothing', async () => {
  const pool = openStorePool(await testTarget());
  try {
    const store = new DeployStore(pool);
    await store.ensure();
    const target = `store_${Date.now()}`;
    const r = await store.insert(newRequest(target), 'tester@localhost');
    assert.equal(r.state, 'open');
    assert.equal(r.openedBy, 'tester@localhost');
    assert.equal(r.changes[0].alterSpec, 'ADD COLUMN `nick` varchar(20)');
    assert.match(r.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(r.windowDeadline, null);

    const { before, after } = await store.move(r.id, 'start', { started_at: { now: true } }, 'deploying', 'tester@localhost');
    assert.equal(before.state, 'open');
    assert.equal(after.state, 'in_progress');
    assert.ok(after.startedAt);

    await assert.rejects(store.move(r.id, 'close', {}, 'x', 'tester'), (err: unknown) => err instanceof DeployStateError && /is in_progress; only open requests can be closed/.test(err.message));
    assert.equal((await store.get(r.id)).state, 'in_progress');

    const cut = await store.move(r.id, 'cut_over', { cut_over_at: { now: true }, window_deadline: { nowPlusSeconds: 60 } }, 'cut over', 'tester');
    assert.ok(cut.after.windowDeadline && cut.after.cutOverAt);
    assert.equal(Date.parse(cut.after.windowDeadline) - Date.parse(cut.after.cutOverAt), 60_000);
    assert.equal(await store.windowExpired(r.id), false);

    const events = await store.events(r.id);
    assert.deepEqual(
      events.map((e) => [e.fromState, e.toState]),
      [
        [null, 'open'],
        ['open', 'in_progress'],
        ['in_progress', 'complete_pending_revert'],
      ],
    );
    assert.deepEqual((await store.list({ targetDatabase: target })).map((x) => x.id), [r.id]);
    assert.deepEqual(await store.list({ targetDatabase: target, states: ['open'] }), []);
  } finally {
    await pool.end();
  }
});

test('two processes racing to move the same request: exactly one wins', async () => {
  const target = await testTarget();
  const a = openStorePool(target);
  const b = openStorePool(target);
  try {
    const sa = new DeployStore(a);
    const sb = new DeployStore(b);
    await sa.ensure();
    const r = await sa.insert(newRequest(`race_${Date.now()}`), 'tester');
    const results = await Promise.allSettled([sa.move(r.id, 'start', {}, 'a', 'a'), sb.move(r.id, 'close', {}, 'b', 'b')]);
    assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1);
    const final = await sa.get(r.id);
    assert.ok(final.state === 'in_progress' || final.state === 'closed');
  } finally {
    await a.end();
    await b.end();
  }
});

test('the deploy lock is exclusive and names its holder', async () => {
  const target = await testTarget();
  const one = await openConnection(target);
  const two = await openConnection(target);
  const name = deployLockName(`lock_${Date.now()}`);
  try {
    assert.equal(await acquireLock(one, name, 0), true);
    assert.equal(await acquireLock(two, name, 0), false);
    const holder = await lockHolder(two, name);
    assert.ok(holder);
    assert.equal(holder.user, target.user);
    await releaseLock(one, name);
    assert.equal(await lockHolder(two, name), undefined);
    assert.equal(await acquireLock(two, name, 0), true);
  } finally {
    await one.end();
    await two.end();
  }
});

test('a lock held by a connection that dies is free again', async () => {
  const target = await testTarget();
  const dying = await openConnection(target);
  const other = await openConnection(target);
  const name = deployLockName(`dead_${Date.now()}`);
  try {
    assert.equal(await acquireLock(dying, name, 0), true);
    dying.destroy();
    // The server frees it when it notices the closed socket: GET_LOCK with a timeout waits for exactly that.
    assert.equal(await acquireLock(other, name, 10), true);
  } finally {
    await other.end();
  }
});
