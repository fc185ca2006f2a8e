import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CutOverBlocked, OnlineMigration } from '../../src/migration/index.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { alterChange, BASE_TABLE, columnsOf, exec, tableNames } from './scenario.js';

test('a cut-over blocked by a long transaction gives up cleanly, names the blocker, and succeeds once it ends', async () => {
  const { target, database, drop } = await freshDatabase('migblk');
  const blocker = await connect(target, database);
  try {
    await exec(target, database, BASE_TABLE(database, 'items'));
    await exec(target, database, "INSERT INTO items (k, c) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    const m = await OnlineMigration.prepare(target, database, 4_000_000 + Math.floor(Math.random() * 1_000_000), [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 0')], {
      lockWaitSeconds: 0.5,
      cutOverAttempts: 2,
      blockerWaitSeconds: 2,
    });
    await m.copy();
    const [idRows] = await blocker.query('SELECT CONNECTION_ID() AS id');
    const blockerId = Number((idRows as { id: number }[])[0]!.id);
    await blocker.query('START TRANSACTION');
    await blocker.query("UPDATE items SET c = 'held' WHERE id = 1");

    const err = await m.cutOver().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof CutOverBlocked, String(err));
    assert.match(err.message, new RegExp(`connection ${blockerId} \\(`));
    assert.match(err.message, /retry \(safe\)/);
    assert.ok(err.blockers.some((b) => b.id === blockerId));
    assert.equal(m.phase, 'ready_to_cut_over');
    assert.match(m.error ?? '', /could not get its locks|asked for no lock/);
    assert.ok(!(await columnsOf(target, database, 'items')).includes('added'), 'the original table is untouched');
    assert.ok(!(await tableNames(target, database)).some((t) => t.endsWith('_old')), 'no sentry left behind');

    await blocker.query('COMMIT');
    await m.cutOver();
    assert.equal(m.phase, 'cut_over');
    assert.ok((await columnsOf(target, database, 'items')).includes('added'));
    const rows = (await exec(target, database, 'SELECT id, c FROM items ORDER BY id')) as { id: number; c: string }[];
    assert.deepEqual(rows.map((r) => r.c), ['held', 'b', 'c'], 'the blocker\'s committed write reached the new table');
    await m.finish();
    await m.close();
  } finally {
    await blocker.end();
    await drop();
  }
});
