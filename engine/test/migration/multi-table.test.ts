import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SchemaChange } from '../../src/diff/change.js';
import { OnlineMigration } from '../../src/migration/index.js';
import { freshDatabase } from '../../../test/support/server.js';
import { alterChange, BASE_TABLE, columnsOf, exec, tableNames } from './scenario.js';
import { compareWithAcks, WriterPool } from './writers.js';

test('one cut-over for several tables: two altered under writes, one created, one dropped; revert brings the dropped one back with its rows', async () => {
  const { target, database, drop } = await freshDatabase('migmulti');
  const pools = ['items', 'orders'].map((t) => new WriterPool(target, database, t, 2));
  try {
    for (const t of ['items', 'orders', 'legacy']) await exec(target, database, BASE_TABLE(database, t));
    for (const p of pools) await p.seed(10_000);
    await exec(target, database, "INSERT INTO legacy (k, c) VALUES (1, 'kept'), (2, 'kept too')");
    for (const p of pools) await p.start();
    const changes: SchemaChange[] = [
      alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 1'),
      alterChange('orders', 'MODIFY COLUMN `c` varchar(100) NOT NULL DEFAULT \'\''),
      { table: 'fresh', kind: 'create_table', statement: 'CREATE TABLE `fresh` (`id` int NOT NULL PRIMARY KEY)', class: 'safe', reasons: [] },
      { table: 'legacy', kind: 'drop_table', statement: 'DROP TABLE `legacy`', class: 'destructive', reasons: [] },
    ];
    const m = await OnlineMigration.prepare(target, database, 7_000_000 + Math.floor(Math.random() * 1_000_000), changes);
    await m.copy();
    await Promise.all(pools.map((p) => p.progress(20)));
    await m.cutOver();
    assert.deepEqual((await tableNames(target, database)).filter((t) => !t.includes('_sb')), ['fresh', 'items', 'orders']);
    assert.ok((await columnsOf(target, database, 'items')).includes('added'));
    await exec(target, database, 'INSERT INTO fresh VALUES (1)');
    m.startWindowSync(50);
    await Promise.all(pools.map((p) => p.progress(30)));
    for (const p of pools) await p.hold();
    for (const [i, t] of ['items', 'orders'].entries()) {
      const mid = await compareWithAcks(target, database, t, pools[i]!.acks);
      assert.deepEqual({ missing: mid.missing, extra: mid.extra, different: mid.different }, { missing: [], extra: [], different: [] }, t);
    }
    for (const p of pools) p.unhold();
    await Promise.all(pools.map((p) => p.progress(20)));
    const pre = await m.preflightRevert();
    assert.ok(pre.warnings.some((w) => /fresh .* holds 1 rows/.test(w)), pre.warnings.join('\n'));
    await m.revert();
    for (const p of pools) await p.stop();
    assert.deepEqual(await tableNames(target, database), ['items', 'legacy', 'orders']);
    assert.deepEqual(((await exec(target, database, 'SELECT c FROM legacy ORDER BY id')) as { c: string }[]).map((r) => r.c), ['kept', 'kept too']);
    for (const [i, t] of ['items', 'orders'].entries()) {
      const end = await compareWithAcks(target, database, t, pools[i]!.acks);
      console.log(`[multi-table ${t}] writes acknowledged: ${pools[i]!.acks.acknowledged}, rows compared after revert: ${end.compared}`);
      assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] }, t);
    }
    await m.finish();
    await m.close();
  } finally {
    for (const p of pools) await p.stop().catch(() => undefined);
    await drop();
  }
});
