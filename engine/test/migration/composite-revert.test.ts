/**
 * A composite primary key under four writers, through the revert window and
 * the revert (issue 10, finding 9 follow-up). The old table was filled just
 * before the deploy, so its statistics still said it held about a hundred
 * rows: every DELETE of a drain batch on it was planned as a full scan
 * (seconds each under four writers), and the window sync and the revert
 * never caught up. Measured before the fix: the revert had not finished after
 * 20 s; after it, about 1.5 s from opening the window to the end of the revert.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OnlineMigration } from '../../src/migration/index.js';
import { compositeKeyUnderLoad } from './composite-scenario.js';
import { columnsOf } from './scenario.js';
import { compareWithAcks } from './writers.js';

const ROWS = 20_000;

/** Bounds one step: a step that never ends fails the test with its name instead of hanging it. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

test('a composite primary key under 4 writers keeps the old table in sync and reverts with zero loss', async () => {
  const { target, database, drop, writers, prepare } = await compositeKeyUnderLoad('migcpkrev', ROWS);
  let m: OnlineMigration | undefined;
  try {
    m = await prepare();
    await within(20_000, 'copy', m.copy());
    await within(10_000, 'cut-over', m.cutOver());
    const started = Date.now();
    m.startWindowSync(20);
    // Enough key changes in the window that drain batches end between the two keys of one change.
    await within(15_000, 'writes in the revert window', writers.progress(400));
    const status = m.windowSyncStatus;
    const rev = await within(20_000, 'revert', m.revert());
    const revertedMs = Date.now() - started;
    await writers.progress(20);
    await writers.stop();
    const end = await compareWithAcks(target, database, 'items', writers.acks);
    console.log(
      `[composite key, revert window, 4 writers] ${ROWS} rows: window sync status ${JSON.stringify(status)}; reverted ${revertedMs} ms after the window opened, stall ${rev.stallMs} ms; ` +
        `writes acknowledged ${writers.acks.acknowledged}, not acknowledged ${writers.acks.failed} ${JSON.stringify(writers.acks.errors)}; rows compared ${end.compared}, missing ${end.missing.length}, extra ${end.extra.length}, different ${end.different.length}`,
    );
    assert.equal(m.phase, 'reverted');
    assert.ok(!(await columnsOf(target, database, 'items')).includes('added'));
    assert.deepEqual({ problems: status.problems, lastError: status.lastError }, { problems: [], lastError: undefined });
    assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] });
    await m.finish();
  } finally {
    await m?.close();
    await writers.stop().catch(() => undefined);
    await drop();
  }
});
