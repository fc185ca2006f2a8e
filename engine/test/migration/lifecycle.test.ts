import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CopyAborted, OnlineMigration } from '../../src/migration/index.js';
import { freshDatabase } from '../../../test/support/server.js';
import { alterChange, BASE_TABLE, columnsOf, exec, tableNames } from './scenario.js';

const newId = (): number => 10_000_000 + Math.floor(Math.random() * 1_000_000);

async function seeded(rows: number): Promise<Awaited<ReturnType<typeof freshDatabase>>> {
  const fresh = await freshDatabase('miglife');
  await exec(fresh.target, fresh.database, BASE_TABLE(fresh.database, 'items'));
  await exec(fresh.target, fresh.database, `INSERT INTO items (k, c) SELECT seq, 'x' FROM seq_1_to_${rows}`);
  return fresh;
}

async function triggersOn(target: Awaited<ReturnType<typeof freshDatabase>>['target'], db: string): Promise<string[]> {
  return ((await exec(target, db, 'SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?', [db])) as { n: string }[]).map((r) => r.n);
}

test('abort before cut-over removes the shadow, triggers and changelog and leaves the original untouched', async () => {
  const { target, database, drop } = await seeded(1000);
  try {
    const id = newId();
    const m = await OnlineMigration.prepare(target, database, id, [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 0')]);
    assert.equal(m.phase, 'prepared');
    assert.equal((await triggersOn(target, database)).length, 3);
    await m.copy();
    await m.abort();
    assert.equal(m.phase, 'aborted');
    assert.deepEqual(await tableNames(target, database), ['items']);
    assert.deepEqual(await triggersOn(target, database), []);
    assert.deepEqual(await tableNames(target, '_schemabranch').then((t) => t.filter((n) => n.startsWith(`migration_${id}_`))), []);
    assert.ok(!(await columnsOf(target, database, 'items')).includes('added'));
    await exec(target, database, "INSERT INTO items (k, c) VALUES (1, 'writes still work')");
    await m.close();
  } finally {
    await drop();
  }
});

test('a paused copy makes no progress until resumed; an aborted signal stops it at a checkpoint it resumes from', async () => {
  const { target, database, drop } = await seeded(30_000);
  try {
    const m = await OnlineMigration.prepare(target, database, newId(), [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 0')], { chunkTargetMs: 1 });
    m.pause();
    let chunks = 0;
    let waitingOnPause!: () => void;
    const parked = new Promise<void>((r) => (waitingOnPause = r));
    const copying = m.copy(() => chunks++, undefined, (reason) => reason === 'paused' && waitingOnPause());
    await parked;
    assert.equal(chunks, 0, 'the copy stopped at the pause before copying anything');
    m.resume();
    await copying;
    assert.ok(chunks > 0);
    assert.equal(m.phase, 'ready_to_cut_over');
    await m.abort();

    const again = await OnlineMigration.prepare(target, database, newId(), [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 0')], { chunkTargetMs: 1 });
    const stop = new AbortController();
    await assert.rejects(again.copy((p) => p[0]!.rowsCopied > 0 && stop.abort(), stop.signal), CopyAborted);
    assert.equal(again.phase, 'copying');
    const done = again.progress()[0]!.rowsCopied;
    assert.ok(done > 0 && done < 30_000, `stopped part-way (${done})`);
    await again.copy();
    assert.equal(again.phase, 'ready_to_cut_over');
    await again.cutOver();
    const [{ n }] = (await exec(target, database, 'SELECT COUNT(*) AS n FROM items')) as [{ n: number }];
    assert.equal(Number(n), 30_000);
    await again.finish();
    await again.close();
    await m.close();
  } finally {
    await drop();
  }
});

test('the copy waits while the server is busier than maxThreadsRunning', async () => {
  const { target, database, drop } = await seeded(1000);
  try {
    const m = await OnlineMigration.prepare(target, database, newId(), [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 0')], { maxThreadsRunning: 0 });
    const stop = new AbortController();
    let chunks = 0;
    const copying = m.copy(() => chunks++, stop.signal, (reason) => reason === 'server-busy' && stop.abort());
    await assert.rejects(copying, CopyAborted);
    assert.equal(chunks, 0, 'no chunk was copied while throttled');
    await m.abort();
    await m.close();
  } finally {
    await drop();
  }
});
