import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countIds, fixture, writer } from './fixture.js';
import type { DeployProgress, RevertWindowChange, StateChange } from '../../src/deploy/events.js';

test('deploy online while a writer inserts, then revert: every acknowledged row survives both swaps', async () => {
  const f = await fixture({ rows: 5000 });
  try {
    const r = await f.dr.create(f.branch);
    const states: StateChange[] = [];
    const progress: DeployProgress[] = [];
    const windows: RevertWindowChange[] = [];
    f.dr.events.on('state', (s) => states.push(s));
    f.dr.events.on('progress', (p) => progress.push(p));
    f.dr.events.on('window', (w) => windows.push(w));

    const w = writer(f.target, f.main);
    const seenByCallback: string[] = [];
    const deployed = await f.dr.deploy(r.id, { onState: (x) => seenByCallback.push(x.state) });
    const during = await w.stop();

    assert.equal(deployed.state, 'complete_pending_revert');
    assert.ok(deployed.cutOverAt && deployed.windowDeadline && deployed.startedAt);
    assert.equal(Date.parse(deployed.windowDeadline) - Date.parse(deployed.cutOverAt), 600_000);
    assert.equal(deployed.migrationId, String(r.id));
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
    assert.ok(during.length > 0, 'the writer wrote during the deploy');
    assert.equal(await countIds(f.conn, during), during.length);
    assert.equal(await f.count(), 5000 + during.length);

    assert.deepEqual(states.map((s) => s.state), ['in_progress', 'complete_pending_revert']);
    assert.deepEqual(seenByCallback, ['in_progress', 'complete_pending_revert']);
    assert.ok(progress.some((p) => p.phase === 'copying' && p.tables.some((t) => t.table === 'users')));
    assert.equal(progress[progress.length - 1].phase, 'done');
    const last = deployed.progress.find((t) => t.table === 'users');
    assert.ok(last && last.percent === 100, 'the final progress is stored with the request');
    assert.deepEqual(windows, [{ id: r.id, deadline: deployed.windowDeadline, tables: ['users'] }]);

    // Written with the new schema during the revert window.
    const [ins] = await f.conn.query("INSERT INTO users (email, nick) VALUES ('after@example.com', 'after')");
    const afterId = (ins as { insertId: number }).insertId;

    const w2 = writer(f.target, f.main);
    const reverted = await f.dr.revert(r.id);
    const duringRevert = await w2.stop();
    assert.equal(reverted.state, 'complete_revert');
    assert.ok(reverted.finishedAt);
    assert.deepEqual(await f.columns('users'), ['id', 'email']);
    assert.equal(await countIds(f.conn, [...during, afterId, ...duringRevert]), during.length + 1 + duringRevert.length);
    assert.deepEqual(windows[windows.length - 1], { id: r.id, deadline: null, tables: ['users'] });
    assert.deepEqual(
      (await f.tables()).filter((t) => /_sb\d+_(new|old)$/.test(t)),
      [],
      'no helper tables are left after the revert',
    );
    assert.deepEqual((await f.dr.history(r.id)).map((e) => e.toState), ['open', 'in_progress', 'complete_pending_revert', 'in_progress_revert', 'complete_revert']);
  } finally {
    await f.cleanup();
  }
});

test('gated: the deploy stops at pending_cutover, apply cuts over, skip-revert closes the window', async () => {
  const f = await fixture({ rows: 500 });
  try {
    const r = await f.dr.create(f.branch);
    const waiting = await f.dr.deploy(r.id, { gated: true });
    assert.equal(waiting.state, 'pending_cutover');
    assert.equal(waiting.gated, true);
    assert.deepEqual(await f.columns('users'), ['id', 'email'], 'main is unchanged until apply');

    // Writes while waiting for the cut-over still arrive (the shadow table is kept in sync).
    await f.conn.query("INSERT INTO users (email) VALUES ('waiting@example.com')");
    await assert.rejects(f.dr.revert(r.id), /is pending_cutover; only complete_pending_revert or error_retryable requests can be reverted/);

    const applied = await f.another().apply(r.id);
    assert.equal(applied.state, 'complete_pending_revert');
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
    assert.equal(await f.count(), 501);
    assert.ok((await f.tables()).some((t) => /_sb\d+_old$/.test(t)), 'the old table waits during the window');

    const done = await f.dr.skipRevert(r.id);
    assert.equal(done.state, 'complete');
    assert.deepEqual((await f.tables()).filter((t) => /_sb\d+_(new|old)$/.test(t)), [], 'skip-revert dropped the old table');
    await assert.rejects(f.dr.revert(r.id), /deploy request #\d+ is complete; only complete_pending_revert/);
  } finally {
    await f.cleanup();
  }
});

test('cancel: an open request at once; a gated one waiting for cut-over removes its shadow tables', async () => {
  const f = await fixture({ rows: 200 });
  try {
    const r = await f.dr.create(f.branch);
    await f.dr.deploy(r.id, { gated: true });
    assert.ok((await f.tables()).some((t) => /_sb\d+_new$/.test(t)));
    const cancelled = await f.dr.cancel(r.id);
    assert.equal(cancelled.state, 'cancelled');
    assert.deepEqual((await f.tables()).filter((t) => /_sb\d+_(new|old)$/.test(t)), []);
    assert.deepEqual(await f.columns('users'), ['id', 'email']);
    await assert.rejects(f.dr.cancel(r.id), /is cancelled; only open, queued, in_progress, pending_cutover/);

    // With the first one cancelled, the branch can open another, which cancels as a pure state change.
    const again = await f.dr.create(f.branch);
    assert.equal((await f.dr.cancel(again.id)).state, 'cancelled');
  } finally {
    await f.cleanup();
  }
});

test('cancel during the copy: in this process at once, from another process through the store', async () => {
  const f = await fixture({ rows: 150_000 });
  try {
    for (const canceller of [f.dr, f.another()]) {
      const r = await f.dr.create(f.branch);
      const copying = new Promise<void>((resolve) => {
        const on = (p: DeployProgress) => {
          if (p.id === r.id && p.phase === 'copying') {
            f.dr.events.off('progress', on);
            resolve();
          }
        };
        f.dr.events.on('progress', on);
      });
      const running = f.dr.deploy(r.id);
      running.catch(() => undefined);
      await copying;
      const cancelled = await canceller.cancel(r.id);
      assert.equal(cancelled.state, 'cancelled');
      assert.equal((await running).state, 'cancelled');
      assert.deepEqual((await f.tables()).filter((t) => /_sb\d+_(new|old)$/.test(t)), [], 'the shadow table is gone');
      assert.deepEqual(await f.columns('users'), ['id', 'email']);
    }
    assert.equal(await f.count(), 150_000);
  } finally {
    await f.cleanup();
  }
});
