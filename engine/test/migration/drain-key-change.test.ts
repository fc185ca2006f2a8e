/**
 * A change of primary key is captured as two keys, the row's old key and its
 * new one. A drain batch can end between them. Towards the old schema the
 * drain inserts plainly (a row that does not fit must fail), so if the batch
 * held only the new key, the row went in under its new key while the old
 * table still held it under the old one: a duplicate on any other unique key
 * (here UNIQUE(id)) failed the batch and the row was reported stuck. The
 * capture writes the old key first, so a batch that ends between the two
 * only removes the row, and the next one puts it back under its new key.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drainBatch, type DrainRoute } from '../../src/migration/drain.js';
import { METADATA_DB } from '../../src/migration/names.js';
import { openEngineConnection } from '../../src/migration/session.js';
import { createCaptureTrigger, createChangelog, dropTable } from '../../src/migration/sql.js';
import { quoteIdent, quoteQualified } from '../../src/sql/quote.js';
import { connect, freshDatabase } from '../../../test/support/server.js';

test('a batch that ends between the two keys of one key change neither fails nor leaves the row stuck', async () => {
  const { target, database, drop } = await freshDatabase('drainkc');
  const setup = await connect(target, database);
  const conn = await openEngineConnection(target);
  const changelog = `drainkc_${Math.floor(Math.random() * 1e9)}`;
  try {
    for (const t of ['items', 'items_old']) {
      await setup.query(`CREATE TABLE ${quoteQualified(database, t)} (id int NOT NULL, k int NOT NULL, c varchar(20) NOT NULL, PRIMARY KEY (k, id), UNIQUE KEY id (id)) ENGINE=InnoDB`);
      await setup.query(`INSERT INTO ${quoteQualified(database, t)} VALUES (1, 10, 'a'), (2, 20, 'b')`);
    }
    await setup.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(METADATA_DB)}`);
    const key = ['k', 'id'];
    await setup.query(createChangelog(METADATA_DB, changelog, [{ name: 'k', columnType: 'int(11)' }, { name: 'id', columnType: 'int(11)' }]));
    await setup.query(createCaptureTrigger({ db: database, table: 'items', trigger: 'items_upd', event: 'upd', metaDb: METADATA_DB, changelog, side: 2, key }));
    // The application moves row 1 to another key, then changes row 2 in place.
    await setup.query(`UPDATE ${quoteQualified(database, 'items')} SET k = 11, c = 'a2' WHERE id = 1`);
    await setup.query(`UPDATE ${quoteQualified(database, 'items')} SET c = 'b2' WHERE id = 2`);

    const route: DrainRoute = { db: database, changelog, key, side: 2, from: 'items', to: 'items_old', columns: ['id', 'k', 'c'], replace: false };
    // One captured key per batch: the first batch ends between the two keys of the move.
    const stuck: unknown[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await drainBatch(conn, route, 1);
      stuck.push(...res.stuck);
      if (res.read === 0) break;
    }
    const [rows] = await setup.query(`SELECT id, k, c FROM ${quoteQualified(database, 'items_old')} ORDER BY id`);
    assert.deepEqual(stuck, []);
    assert.deepEqual(JSON.parse(JSON.stringify(rows)), [
      { id: 1, k: 11, c: 'a2' },
      { id: 2, k: 20, c: 'b2' },
    ]);
  } finally {
    await setup.query(dropTable(METADATA_DB, changelog)).catch(() => undefined);
    await conn.end();
    await setup.end();
    await drop();
  }
});
