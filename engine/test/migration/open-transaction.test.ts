/**
 * An application transaction left open on the table (issue 10, finding 7):
 * the copy and drain go past it, the cut-over waits for it holding no lock
 * (writes keep flowing), names it and only it, and a cleanup that cannot get
 * the table says who holds it and leaves nothing behind once it can.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connection } from 'mysql2/promise';
import { findLeftObjects } from '../../src/migration/cleanup.js';
import { CutOverBlocked, OnlineMigration, type Blocker } from '../../src/migration/index.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import type { ServerTarget } from '../../src/db/target.js';
import { alterChange, BASE_TABLE, columnsOf, exec, tableNames } from './scenario.js';
import { compareWithAcks, WriterPool } from './writers.js';
import { waitUntil } from '../../../test/support/wait.js';

const ROWS = 20_000;
const HELD = 9_000_001;

/** Resolves once the connection's transaction has been open `seconds` (a readiness signal, with a deadline). */
async function transactionAged(target: ServerTarget, database: string, id: number, seconds: number): Promise<void> {
  await waitUntil(async () => {
    const r = (await exec(target, database, 'SELECT TIMESTAMPDIFF(SECOND, trx_started, NOW()) AS s FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = ?', [id])) as { s: number }[];
    return Number(r[0]?.s ?? 0) >= seconds;
  }, `the transaction is ${seconds} s old`);
}

async function triggerCount(target: ServerTarget, database: string): Promise<number> {
  const r = (await exec(target, database, 'SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?', [database])) as { n: number }[];
  return Number(r[0]!.n);
}

async function setUp(target: ServerTarget, database: string): Promise<WriterPool> {
  await exec(target, database, BASE_TABLE(database, 'items'));
  const writers = new WriterPool(target, database, 'items', 4);
  await writers.seed(ROWS);
  await writers.start();
  await writers.progress(10);
  await exec(target, database, "INSERT INTO items (id, k, c) VALUES (?, 1, 'before')", [HELD]);
  writers.acks.rows.set(HELD, { k: 1, c: 'before' });
  return writers;
}

/** Once the capture triggers exist (as mid-copy): a transaction on a row no writer owns, left open. */
async function openTransaction(target: ServerTarget, database: string): Promise<{ holder: Connection; holderId: number }> {
  const holder = await connect(target, database);
  const [r] = await holder.query('SELECT CONNECTION_ID() AS id');
  const holderId = Number((r as { id: number }[])[0]!.id);
  await holder.query('START TRANSACTION');
  await holder.query("UPDATE items SET c = 'held' WHERE id = ?", [HELD]);
  return { holder, holderId };
}

test('a transaction open across copy and cut-over: the drain goes past it, the cut-over waits for it without stalling writes, then succeeds with zero loss', async () => {
  const { target, database, drop } = await freshDatabase('migtrx');
  const writers = await setUp(target, database);
  let holder: Connection | undefined;
  let m: OnlineMigration | undefined;
  try {
    m = await OnlineMigration.prepare(target, database, 8_000_000 + Math.floor(Math.random() * 1_000_000), [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')], { chunkTargetMs: 50, blockerWaitSeconds: 20 });
    const open = await openTransaction(target, database);
    holder = open.holder;
    const { holderId } = open;
    await m.copy();
    assert.equal(m.phase, 'ready_to_cut_over', 'the copy and its drains finished with the transaction still open');

    let named: Blocker[] = [];
    let ackedWhileWaiting = 0;
    let committed: Promise<void> | undefined;
    const cut = await m.cutOver((blockers) => {
      named = blockers;
      // While the cut-over waits, writes go on; only then does the application commit.
      committed = (async () => {
        const at = writers.acks.acknowledged;
        await writers.progress(10);
        ackedWhileWaiting = writers.acks.acknowledged - at;
        writers.acks.rows.set(HELD, { k: 1, c: 'held' });
        await open.holder.query('COMMIT');
      })();
    });
    await committed;
    await writers.progress(10);
    await writers.stop();
    const end = await compareWithAcks(target, database, 'items', writers.acks);
    console.log(
      `[open transaction] blockers named: ${named.map((b) => b.id).join(', ')} (holder ${holderId}); writes acknowledged while the cut-over waited: ${ackedWhileWaiting}; ` +
        `reported stall ${cut.stallMs} ms (attempts ${cut.attemptsMs.join(', ')} ms); longest write ${writers.acks.longestWriteMs} ms; acknowledged ${writers.acks.acknowledged}, not acknowledged ${writers.acks.failed}; rows compared ${end.compared}`,
    );
    // Without a lock-holder view the server cannot say which tables an idle transaction holds: other tests' idle transactions may be named too, never a write queued behind a lock.
    assert.ok(named.some((b) => b.id === holderId), 'the open transaction is named');
    assert.ok(named.every((b) => b.info === null), `only idle transactions are named: ${JSON.stringify(named)}`);
    assert.ok(ackedWhileWaiting >= 40);
    assert.equal(m.phase, 'cut_over');
    assert.ok((await columnsOf(target, database, 'items')).includes('added'));
    assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] });
    assert.equal(cut.attemptsMs.reduce((a, b) => a + b, 0), cut.stallMs);
    assert.ok(cut.stallMs < 1000, `stall ${cut.stallMs} ms`);
    assert.ok(writers.acks.longestWriteMs < 1000, `a write waited ${writers.acks.longestWriteMs} ms`);
    await m.finish();
  } finally {
    await m?.close();
    await writers.stop().catch(() => undefined);
    await holder?.end().catch(() => undefined);
    await drop();
  }
});

test('a transaction that never ends: the cut-over gives up naming it with the stall summed, cleanup says who holds the table, and once it ends nothing is left', async () => {
  const { target, database, drop } = await freshDatabase('migtrx');
  const writers = await setUp(target, database);
  const id = 8_000_000 + Math.floor(Math.random() * 1_000_000);
  let holder: Connection | undefined;
  let m: OnlineMigration | undefined;
  try {
    m = await OnlineMigration.prepare(target, database, id, [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')], { chunkTargetMs: 50, blockerWaitSeconds: 2, cutOverAttempts: 2 });
    const open = await openTransaction(target, database);
    holder = open.holder;
    const { holderId } = open;
    await m.copy();
    const err = await m.cutOver().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof CutOverBlocked, String(err));
    console.log(`[open transaction, never ends] ${err.message}; attempts ${err.attemptsMs.join(', ')} ms; longest write ${writers.acks.longestWriteMs} ms`);
    assert.ok(err.blockers.some((b) => b.id === holderId));
    assert.ok(err.blockers.every((b) => b.info === null), `only idle transactions are named: ${JSON.stringify(err.blockers)}`);
    assert.match(err.message, new RegExp(`connection ${holderId} \\(.*idle inside an open transaction`));
    assert.equal(err.attemptsMs.reduce((a, b) => a + b, 0), err.stallMs);
    assert.ok(err.attemptsMs.every((ms) => ms < 1000), `an attempt stalled writes ${Math.max(...err.attemptsMs)} ms`);
    assert.ok(writers.acks.longestWriteMs < 1200, `a write waited ${writers.acks.longestWriteMs} ms`);
    assert.ok(!(await columnsOf(target, database, 'items')).includes('added'));

    const cleanup = await m.abort().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.ok(cleanup, 'the triggers cannot be dropped while the transaction holds the table');
    assert.match(cleanup.message, new RegExp(`connection ${holderId} \\(`));

    writers.acks.rows.set(HELD, { k: 1, c: 'held' });
    await open.holder.query('COMMIT');
    await m.abort();
    await writers.progress(10);
    await writers.stop();
    const look = await connect(target, database);
    const left = await findLeftObjects(look, database, (x) => x === id).finally(() => look.end());
    assert.deepEqual(left, { triggers: [], tables: [], changelogs: [] });
    assert.deepEqual(await tableNames(target, database), ['items']);
    const end = await compareWithAcks(target, database, 'items', writers.acks);
    assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] });
  } finally {
    await m?.close();
    await writers.stop().catch(() => undefined);
    await holder?.end().catch(() => undefined);
    await drop();
  }
});

test('a transaction open when the deploy starts: creating the capture triggers waits for it without stalling writes', async () => {
  const { target, database, drop } = await freshDatabase('migtrx');
  const writers = await setUp(target, database);
  const open = await openTransaction(target, database);
  let m: OnlineMigration | undefined;
  try {
    await transactionAged(target, database, open.holderId, 1);
    const preparing = OnlineMigration.prepare(target, database, 8_000_000 + Math.floor(Math.random() * 1_000_000), [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')], { chunkTargetMs: 50 });
    // The shadow is built just before the triggers: from then on the deploy waits for the transaction.
    await waitUntil(async () => (await tableNames(target, database)).some((t) => t.endsWith('_new')), 'the shadow table exists');
    await transactionAged(target, database, open.holderId, 3);
    await writers.progress(20);
    assert.deepEqual(await triggerCount(target, database), 0, 'no trigger was created while the transaction held the table');
    writers.acks.rows.set(HELD, { k: 1, c: 'held' });
    await open.holder.query('COMMIT');
    m = await preparing;
    await m.copy();
    await m.cutOver();
    await writers.progress(10);
    await writers.stop();
    console.log(`[open transaction at prepare] longest write ${writers.acks.longestWriteMs} ms; acknowledged ${writers.acks.acknowledged}, not acknowledged ${writers.acks.failed}`);
    assert.ok(writers.acks.longestWriteMs < 1000, `a write waited ${writers.acks.longestWriteMs} ms`);
    const end = await compareWithAcks(target, database, 'items', writers.acks);
    assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] });
    await m.finish();
  } finally {
    await m?.close();
    await writers.stop().catch(() => undefined);
    await open.holder.end().catch(() => undefined);
    await drop();
  }
});
