/**
 * A composite primary key under four writers (issue 10, finding 9): the drain
 * used to scan the whole shadow per batch and fell behind for good. Now the
 * deploy completes in seconds with a cut-over stall of tens of milliseconds
 * (target: under 250 ms), and every acknowledged write is there.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OnlineMigration } from '../../src/migration/index.js';
import { quoteQualified } from '../../src/sql/quote.js';
import { freshDatabase } from '../../../test/support/server.js';
import { alterChange, columnsOf, exec } from './scenario.js';
import { compareWithAcks, WriterPool } from './writers.js';

const ROWS = 30_000;

test('a composite primary key under 4 writers completes with a short cut-over stall and zero loss', async () => {
  const { target, database, drop } = await freshDatabase('migcpk');
  const writers = new WriterPool(target, database, 'items', 4);
  let m: OnlineMigration | undefined;
  try {
    // Writers move rows between keys (they update k, part of the primary key) and find them by id.
    await exec(
      target,
      database,
      `CREATE TABLE ${quoteQualified(database, 'items')} (id int NOT NULL, k int NOT NULL, c varchar(64) NOT NULL DEFAULT '', extra varchar(20) NOT NULL DEFAULT 'x', PRIMARY KEY (k, id), UNIQUE KEY id (id)) ENGINE=InnoDB`,
    );
    await writers.seed(ROWS);
    await writers.start();
    await writers.progress(20);
    const started = Date.now();
    m = await OnlineMigration.prepare(target, database, 7_000_000 + Math.floor(Math.random() * 1_000_000), [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')], { chunkTargetMs: 50 });
    await m.copy();
    const copiedMs = Date.now() - started;
    await writers.progress(20);
    const before = writers.acks.longestWriteMs;
    const cut = await m.cutOver();
    const doneMs = Date.now() - started;
    await writers.progress(20);
    await writers.stop();
    const end = await compareWithAcks(target, database, 'items', writers.acks);
    console.log(
      `[composite key, 4 writers] ${ROWS} rows: copied in ${copiedMs} ms, cut over at ${doneMs} ms; reported stall ${cut.stallMs} ms (attempts ${cut.attemptsMs.join(', ')} ms); ` +
        `longest write ${writers.acks.longestWriteMs} ms (before cut-over ${before} ms); writes acknowledged ${writers.acks.acknowledged}, not acknowledged ${writers.acks.failed} ${JSON.stringify(writers.acks.errors)}; rows compared ${end.compared}`,
    );
    assert.equal(m.phase, 'cut_over');
    assert.ok((await columnsOf(target, database, 'items')).includes('added'));
    assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] });
    // The target is 250 ms (about 50 ms measured on an idle machine); the bound leaves room for a test machine shared by parallel suites.
    assert.ok(cut.stallMs < 500, `cut-over stall ${cut.stallMs} ms`);
    assert.ok(writers.acks.longestWriteMs < 1000, `a write waited ${writers.acks.longestWriteMs} ms`);
    await m.finish();
  } finally {
    await m?.close();
    await writers.stop().catch(() => undefined);
    await drop();
  }
});
