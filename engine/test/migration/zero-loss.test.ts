import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OnlineMigration } from '../../src/migration/index.js';
import { freshDatabase } from '../../../test/support/server.js';
import { alterChange, BASE_TABLE, columnsOf, exec, tableNames } from './scenario.js';
import { compareWithAcks, WriterPool } from './writers.js';

const ROWS = 20_000;

const cases: { name: string; spec: string; during: (cols: string[]) => void }[] = [
  { name: 'added column with an index', spec: 'ADD COLUMN `added` int NOT NULL DEFAULT 7, ADD INDEX `added` (`added`)', during: (cols) => assert.ok(cols.includes('added')) },
  { name: 'changed column type', spec: 'MODIFY COLUMN `c` varchar(200) NOT NULL DEFAULT \'\'', during: () => undefined },
  { name: 'dropped column', spec: 'DROP COLUMN `extra`', during: (cols) => assert.ok(!cols.includes('extra')) },
];

for (const [i, c] of cases.entries()) {
  test(`zero loss through deploy, revert window and revert: ${c.name}`, async () => {
    const { target, database, drop } = await freshDatabase('mig');
    const writers = new WriterPool(target, database, 'items');
    try {
      await exec(target, database, BASE_TABLE(database, 'items'));
      await writers.seed(ROWS);
      await writers.start();
      await writers.progress(20);
      const m = await OnlineMigration.prepare(target, database, 1_000_000 + Math.floor(Math.random() * 1_000_000) * 10 + i, [alterChange('items', c.spec)], { chunkTargetMs: 50 });
      await m.copy();
      assert.equal(m.phase, 'ready_to_cut_over');
      await writers.progress(20);
      const { stallMs } = await m.cutOver();
      assert.equal(m.phase, 'cut_over');
      c.during(await columnsOf(target, database, 'items'));
      m.startWindowSync(50);
      await writers.progress(50);

      // Mid-window check: the new table holds exactly what was acknowledged.
      await writers.hold();
      const mid = await compareWithAcks(target, database, 'items', writers.acks);
      assert.deepEqual({ missing: mid.missing, extra: mid.extra, different: mid.different }, { missing: [], extra: [], different: [] });
      writers.unhold();
      await writers.progress(50);

      const pre = await m.preflightRevert();
      assert.equal(pre.ok, true, pre.problems.join('\n'));
      const rev = await m.revert();
      assert.equal(m.phase, 'reverted');
      assert.ok((await columnsOf(target, database, 'items')).includes('extra'));
      await writers.progress(20);
      await writers.stop();
      const end = await compareWithAcks(target, database, 'items', writers.acks);
      console.log(`[${c.name}] writes acknowledged: ${writers.acks.acknowledged}, not acknowledged: ${writers.acks.failed}, rows compared: mid-window ${mid.compared}, after revert ${end.compared}; cut-over stall ${stallMs} ms, revert stall ${rev.stallMs} ms`);
      assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] });
      assert.deepEqual(await tableNames(target, database), ['items'], 'revert leaves no shadow or old tables behind');
      await m.finish();
      await m.close();
    } finally {
      await writers.stop().catch(() => undefined);
      await drop();
    }
  });
}
