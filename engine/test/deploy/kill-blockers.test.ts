/**
 * migration.killBlockersAfterSeconds through a deploy request: a long SELECT
 * holding `users` at the cut-over is killed after the wait, the request cuts
 * over, and its history says whom it killed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect } from '../../../test/support/server.js';
import { fixture } from './fixture.js';
import { waitUntil } from '../../../test/support/wait.js';

test('a deploy request with killBlockersAfterSeconds kills the SELECT holding the table and records it in the history', async () => {
  const f = await fixture({ rows: 500 });
  const holder = await connect(f.target, f.main);
  try {
    const dr = f.another({ migration: { chunkTargetMs: 50, killBlockersAfterSeconds: 1 } });
    const r = await dr.create(f.branch);
    const waiting = await dr.deploy(r.id, { gated: true });
    assert.equal(waiting.state, 'pending_cutover');
    const [[{ id: holderId }]] = (await holder.query('SELECT CONNECTION_ID() AS id')) as unknown as [[{ id: number }]];
    const selecting = holder.query('SELECT SLEEP(60) FROM users WHERE id = 1').then(
      () => 'finished',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    // Running a second: only then is it a blocker rather than a statement about to end.
    await waitUntil(async () => {
      const [r] = (await f.conn.query('SELECT TIME_MS AS ms FROM information_schema.PROCESSLIST WHERE ID = ?', [holderId])) as unknown as [{ ms: number }[]];
      return Number(r[0]?.ms ?? 0) >= 1000;
    }, 'the SELECT has run a second');
    const done = await dr.apply(r.id);
    assert.equal(done.state, 'complete_pending_revert');
    assert.notEqual(await selecting, 'finished');
    const notes = (await dr.history(r.id)).map((e) => e.message).filter((m) => m.startsWith('killed'));
    console.log(`[deploy kill blockers] ${notes.join(' | ')}`);
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, new RegExp(`connection ${Number(holderId)} .*SELECT SLEEP\\(60\\) FROM users`));
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
  } finally {
    await holder.end().catch(() => undefined);
    await f.cleanup();
  }
});
