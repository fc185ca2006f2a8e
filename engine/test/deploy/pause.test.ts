import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RowDataPacket } from 'mysql2/promise';
import { fixture, type Fixture } from './fixture.js';
import { runner, type Line } from './runner.js';
import type { DeployProgress } from '../../src/deploy/events.js';
import { quoteIdent } from '../../src/sql/quote.js';

async function usersChecksum(f: Fixture): Promise<string> {
  const [r] = await f.conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n, SUM(id) AS s, SUM(CRC32(email)) AS c FROM users');
  return `${String(r[0].n)}/${String(r[0].s)}/${String(r[0].c)}`;
}

async function shadowRows(f: Fixture): Promise<number> {
  const shadow = (await f.tables()).find((t) => /_sb\d+_new$/.test(t));
  assert.ok(shadow, 'the copy has a shadow table');
  const [r] = await f.conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${quoteIdent(f.main)}.${quoteIdent(shadow)}`);
  return Number(r[0].n);
}

// Enough rows that the copy (each chunk held 30 ms in the child) is still going when the pause arrives.
const ROWS = 150_000;
const copied = (l: Line) => l.progress !== undefined && l.progress.rowsCopied > 0;
const pausedBeat = (l: Line) => l.progress?.paused === true;

test('pause from another process holds the copy across beats; resume finishes it with every row', async () => {
  const f = await fixture({ rows: ROWS });
  const before = await usersChecksum(f);
  try {
    const r = await f.dr.create(f.branch);
    await assert.rejects(f.dr.pause(r.id), new RegExp(`deploy request #${r.id} is open; only a request that is copying rows \\(in_progress\\) can be paused`));
    await assert.rejects(f.dr.resume(r.id), new RegExp(`deploy request #${r.id} is open; only a request that is copying rows \\(in_progress\\) can be resumed`));

    const child = runner(f, r.id);
    try {
      await child.next(copied, 'the first copied chunk');
      const paused = await f.dr.pause(r.id);
      assert.equal(paused.state, 'in_progress');
      assert.equal(paused.paused, true);
      assert.equal((await f.dr.pause(r.id)).paused, true, 'pausing again is a no-op');

      await child.next(pausedBeat, 'the copy to pause');
      // A chunk already under way when the pause arrived still lands; the first idle beat comes after it.
      const first = await child.next(pausedBeat, 'the first idle beat');
      const rowsAtPause = await shadowRows(f);
      // Several idle beats later (each one a read of the store), nothing more was copied.
      for (let beat = 0; beat < 4; beat++) {
        const l = await child.next((x) => x.progress !== undefined, 'a paused beat');
        assert.equal(l.progress?.paused, true, 'every beat while paused says so');
        assert.equal(l.progress?.rowsCopied, first.progress?.rowsCopied, 'no rows copied while paused');
      }
      assert.equal(await shadowRows(f), rowsAtPause, 'the shadow table did not grow while paused');
      const stored = await f.another().show(r.id);
      assert.equal(stored.paused, true, 'other processes see it paused');
      assert.equal(stored.progress.reduce((n, t) => n + t.rowsCopied, 0), first.progress?.rowsCopied, 'the stored progress stands still');
      assert.ok(rowsAtPause < ROWS, `paused before the end of the copy (${rowsAtPause} rows)`);

      const resumed = await f.dr.resume(r.id);
      assert.equal(resumed.paused, false);
      await child.next((l) => l.progress?.paused === false, 'the copy to go on');
      const end = await child.next((l) => l.end !== undefined, 'the deploy to end');
      assert.equal(end.end, 'complete_pending_revert');
      await child.exit;
    } finally {
      child.kill();
    }
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
    assert.equal(await usersChecksum(f), before, 'zero loss: the same rows, ids and emails');
    const done = await f.dr.show(r.id);
    assert.equal(done.paused, false);
    await assert.rejects(f.dr.pause(r.id), new RegExp(`deploy request #${r.id} is complete_pending_revert; only a request that is copying rows`));
    const notes = (await f.dr.history(r.id)).map((e) => e.message);
    assert.ok(notes.some((m) => /^paused by /.test(m)), notes.join('\n'));
    assert.ok(notes.some((m) => /^resumed by /.test(m)), notes.join('\n'));
  } finally {
    await f.cleanup();
  }
});

test('cancel of a paused copy: from another process through the store, and in this process at once', async () => {
  const f = await fixture({ rows: ROWS });
  const before = await usersChecksum(f);
  try {
    // The copy runs in a child; this process pauses and cancels it.
    const r = await f.dr.create(f.branch);
    const child = runner(f, r.id);
    try {
      await child.next(copied, 'the first copied chunk');
      await f.dr.pause(r.id);
      await child.next(pausedBeat, 'the copy to pause');
      const cancelled = await f.dr.cancel(r.id);
      assert.equal(cancelled.state, 'cancelled');
      assert.equal(cancelled.paused, false);
      assert.equal((await child.next((l) => l.end !== undefined, 'the deploy to end')).end, 'cancelled');
      await child.exit;
    } finally {
      child.kill();
    }

    // The copy runs here: pause and cancel reach it without the store.
    const again = await f.dr.create(f.branch);
    const pausedHere = new Promise<DeployProgress>((resolve) => {
      const on = (p: DeployProgress) => {
        if (p.id === again.id && p.paused) {
          f.dr.events.off('progress', on);
          resolve(p);
        }
      };
      f.dr.events.on('progress', on);
    });
    const copying = new Promise<void>((resolve) => {
      const on = (p: DeployProgress) => {
        if (p.id === again.id && p.phase === 'copying') {
          f.dr.events.off('progress', on);
          resolve();
        }
      };
      f.dr.events.on('progress', on);
    });
    const running = f.dr.deploy(again.id);
    running.catch(() => undefined);
    await copying;
    assert.equal((await f.dr.pause(again.id)).paused, true);
    await pausedHere;
    assert.equal((await f.dr.cancel(again.id)).state, 'cancelled');
    assert.equal((await running).state, 'cancelled');
    assert.deepEqual((await f.tables()).filter((t) => /_sb\d+_(new|old)$/.test(t)), [], 'the shadow tables are gone');
    assert.deepEqual(await f.columns('users'), ['id', 'email']);
    assert.equal(await usersChecksum(f), before);
  } finally {
    await f.cleanup();
  }
});
