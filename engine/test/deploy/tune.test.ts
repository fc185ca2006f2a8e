/**
 * Tuning a running copy (issue 11): a Threads_running limit set from another
 * DeployRequests instance (as another process would) reaches the copy at its
 * next beat and makes it wait, saying why; raised again, the copy finishes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTuning, TuneRefusedError } from '../../src/deploy/tune.js';
import type { DeployProgress } from '../../src/deploy/events.js';
import { connect } from '../../../test/support/server.js';
import { waitUntil } from '../../../test/support/wait.js';
import { fixture } from './fixture.js';

test('tune refuses values that make no sense, and an empty tune', () => {
  assert.throws(() => checkTuning({}), TuneRefusedError);
  assert.throws(() => checkTuning({ chunkTargetMs: 5 }), /chunkTargetMs must be a whole number from 10 to 60000/);
  assert.throws(() => checkTuning({ maxThreadsRunning: 0 }), /maxThreadsRunning must be/);
  assert.doesNotThrow(() => checkTuning({ chunkTargetMs: 200, maxThreadsRunning: 30 }));
});

test('a Threads_running limit tuned from another process makes the running copy wait and say why; raised, the copy finishes', async () => {
  const f = await fixture({ rows: 150_000 });
  const busy = await connect(f.target);
  try {
    const other = f.another();
    const events: DeployProgress[] = [];
    f.dr.events.on('progress', (p) => events.push(p));
    const r = await f.dr.create(f.branch);
    const { done } = await f.dr.begin(r.id);
    const [[{ id: busyId }]] = (await busy.query('SELECT CONNECTION_ID() AS id')) as unknown as [[{ id: number }]];
    // One statement running elsewhere, so Threads_running is above 1 for a while.
    const sleeping = busy.query('SELECT SLEEP(20)').catch(() => undefined);
    const tuned = await other.tune(r.id, { maxThreadsRunning: 1 });
    assert.equal(tuned.tuning?.maxThreadsRunning, 1);
    await waitUntil(() => events.some((e) => e.throttled !== undefined), 'the copy says it waits', { timeoutMs: 20_000 });
    const waiting = events.find((e) => e.throttled)!;
    const at = (e: DeployProgress): number => e.tables.reduce((a, t) => a + t.rowsCopied, 0);
    // The waiting copy's idle beats: two more of them, and still no row copied.
    const beatsBefore = events.filter((e) => e.throttled).length;
    await waitUntil(() => events.filter((e) => e.throttled).length >= beatsBefore + 2, 'two idle beats while the copy waits', { timeoutMs: 20_000 });
    const copiedWhileWaiting = at(events[events.length - 1]!) - at(waiting);
    await other.tune(r.id, { maxThreadsRunning: 50 });
    const deployed = await done;
    await f.conn.query(`KILL QUERY ${busyId}`);
    await sleeping;
    console.log(`[tune] waited with "${waiting.throttled}"; rows copied across two idle beats while waiting: ${copiedWhileWaiting}; state ${deployed.state}`);
    assert.match(waiting.throttled ?? '', /Threads_running/);
    assert.equal(copiedWhileWaiting, 0);
    assert.equal(deployed.state, 'complete_pending_revert');
    const history = (await f.dr.history(r.id)).map((e) => e.message);
    assert.ok(history.some((m) => /^tuned by .*: Threads_running limit 1 \(from the next chunk\)$/.test(m)), history.join(' | '));
  } finally {
    busy.destroy();
    await f.cleanup();
  }
});
