/**
 * A MyISAM table with a plain secondary index (all of Piwigo's tables are
 * MyISAM, issue 10's corpus) deploys online under writers with zero loss, and
 * reverts. Building the deferred indexes with ALGORITHM=INPLACE, LOCK=NONE, an
 * InnoDB-only form, failed the copy with "ALGORITHM=INPLACE is not supported".
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFERRED_INDEXES_DDL, deferIndexes, forgetDeferredIndexes } from '../../src/migration/deferred-indexes.js';
import { OnlineMigration } from '../../src/migration/index.js';
import { METADATA_DB } from '../../src/migration/names.js';
import { quoteIdent, quoteQualified } from '../../src/sql/quote.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { alterChange, exec } from './scenario.js';
import { compareWithAcks, WriterPool } from './writers.js';

test('a MyISAM table with a plain index deploys under 2 writers with zero loss and reverts', async () => {
  const { target, database, drop } = await freshDatabase('myisam');
  const writers = new WriterPool(target, database, 'items', 2);
  try {
    await exec(
      target,
      database,
      `CREATE TABLE ${quoteQualified(database, 'items')} (id int NOT NULL PRIMARY KEY, k int NOT NULL DEFAULT 0, c varchar(64) NOT NULL DEFAULT '', KEY k (k)) ENGINE=MyISAM`,
    );
    await writers.seed(3000);
    await writers.start();
    await writers.progress(20);
    const m = await OnlineMigration.prepare(target, database, 8_000_000 + Math.floor(Math.random() * 1_000_000), [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7, ADD INDEX `c` (`c`)')], { chunkTargetMs: 50 });
    await m.copy();
    assert.equal(m.phase, 'ready_to_cut_over');
    const [shadow] = (await exec(target, database, 'SELECT ENGINE AS e FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> ? AND TABLE_NAME LIKE ?', [database, 'items', '%items%'])) as { e: string }[];
    assert.equal(shadow?.e, 'MyISAM', 'the new table keeps the engine');
    const cut = await m.cutOver();
    const indexes = (await exec(target, database, 'SELECT DISTINCT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY n', [database, 'items'])) as { n: string }[];
    assert.deepEqual(indexes.map((r) => r.n), ['c', 'k', 'PRIMARY'], 'the deferred index and the new one are on the live table');
    m.startWindowSync(50);
    await writers.progress(50);
    await writers.hold();
    const mid = await compareWithAcks(target, database, 'items', writers.acks);
    writers.unhold();
    const pre = await m.preflightRevert();
    assert.equal(pre.ok, true, pre.problems.join('\n'));
    const rev = await m.revert();
    await writers.progress(20);
    await writers.stop();
    const end = await compareWithAcks(target, database, 'items', writers.acks);
    console.log(`[MyISAM] writes acknowledged ${writers.acks.acknowledged}, not ${writers.acks.failed}; rows compared ${mid.compared} after cut-over, ${end.compared} after revert; stall ${cut.stallMs} ms, revert stall ${rev.stallMs} ms`);
    assert.deepEqual({ missing: mid.missing, extra: mid.extra, different: mid.different }, { missing: [], extra: [], different: [] });
    assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] });
    await m.finish();
    await m.close();
  } finally {
    await writers.stop().catch(() => undefined);
    await drop();
  }
});

test('plain indexes are deferred on an InnoDB new table and left in place on a MyISAM one', async () => {
  const { target, database, drop } = await freshDatabase('defer');
  const conn = await connect(target, database);
  const id = 9_000_000 + Math.floor(Math.random() * 1_000_000);
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(METADATA_DB)}`);
    await conn.query(DEFERRED_INDEXES_DDL);
    const deferred: Record<string, number> = {};
    for (const engine of ['InnoDB', 'MyISAM']) {
      await conn.query(`CREATE TABLE ${quoteQualified(database, engine)} (id int NOT NULL PRIMARY KEY, k int NOT NULL, KEY k (k)) ENGINE=${engine}`);
      deferred[engine] = await deferIndexes(conn, database, engine, id, engine === 'InnoDB' ? 0 : 1);
    }
    assert.deepEqual(deferred, { InnoDB: 1, MyISAM: 0 });
  } finally {
    await forgetDeferredIndexes(conn, id).catch(() => undefined);
    await conn.end();
    await drop();
  }
});

test('verify on a MyISAM table does not name a row whose changelog entry commits a moment after the row changed', async () => {
  const { target, database, drop } = await freshDatabase('myisamv');
  const late = await connect(target, database);
  let m: OnlineMigration | undefined;
  try {
    await exec(target, database, `CREATE TABLE ${quoteQualified(database, 'items')} (id int NOT NULL PRIMARY KEY, c varchar(64) NOT NULL DEFAULT '') ENGINE=MyISAM`);
    await exec(target, database, `INSERT INTO ${quoteQualified(database, 'items')} SELECT seq, CONCAT('r', seq) FROM seq_1_to_2000`);
    m = await OnlineMigration.prepare(target, database, 8_100_000 + Math.floor(Math.random() * 100_000), [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')], { chunkTargetMs: 50 });
    await m.copy();
    // MyISAM applies the change at once; the capture trigger's changelog row (InnoDB) waits for this transaction.
    await late.query('BEGIN');
    await late.query(`UPDATE ${quoteQualified(database, 'items')} SET c = 'changed late' WHERE id = 5`);
    const committing = new Promise((res) => setTimeout(res, 60)).then(() => late.query('COMMIT'));
    const v = await m.verify();
    await committing;
    assert.deepEqual(v.tables.map((t) => t.differences), [[]], 'a row in flight is not a difference');
    const after = await m.verify();
    assert.equal(after.ok, true);
  } finally {
    await m?.close();
    await late.end();
    await drop();
  }
});
