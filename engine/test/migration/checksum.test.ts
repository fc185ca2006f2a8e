import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connection } from 'mysql2/promise';
import { castTarget, chunkChecksum, columnReading, pendingInRange, rowHashesOf } from '../../src/migration/checksum-sql.js';
import { CopyMismatch, MigrationRefused, OnlineMigration } from '../../src/migration/index.js';
import { shadowName } from '../../src/migration/names.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { alterChange, BASE_TABLE, columnsOf, exec } from './scenario.js';
import { compareWithAcks, WriterPool } from './writers.js';

const newId = (): number => 6_000_000 + Math.floor(Math.random() * 1_000_000);

/** A connection whose writes no capture trigger sees: what a cascade does to a table. */
async function unseen(target: Parameters<typeof connect>[0], db: string): Promise<Connection> {
  const c = await connect(target, db);
  await c.query('SET @schemabranch_engine = 1');
  return c;
}

test('checksum SQL: columns read as the ALTER converts them, a CRC per column, NULL apart from any value', () => {
  assert.equal(castTarget({ columnType: 'bigint(20) unsigned', collation: null }), 'UNSIGNED');
  assert.equal(castTarget({ columnType: 'decimal(10,3)', collation: null }), 'DECIMAL(10,3)');
  assert.equal(castTarget({ columnType: 'timestamp(3)', collation: null }), 'DATETIME(3)');
  assert.equal(castTarget({ columnType: 'varchar(100)', collation: 'latin1_swedish_ci' }), 'CHAR CHARACTER SET utf8mb4');
  assert.equal(castTarget({ columnType: 'point', collation: null }), undefined);
  assert.deepEqual(columnReading('k', { columnType: 'int(11)', collation: null }, { columnType: 'int(11)', collation: null }), { old: '`k`', new: '`k`' });
  assert.deepEqual(columnReading('k', { columnType: 'int(11)', collation: null }, { columnType: 'bigint(20)', collation: null }), { old: 'CAST(`k` AS SIGNED)', new: 'CAST(`k` AS SIGNED)' });
  assert.deepEqual(columnReading('c', { columnType: 'varchar(9)', collation: 'utf8mb4_general_ci' }, { columnType: 'char(9)', collation: 'utf8mb4_general_ci' }), {
    old: 'RTRIM(CAST(`c` AS CHAR CHARACTER SET utf8mb4))',
    new: 'CAST(`c` AS CHAR CHARACTER SET utf8mb4)',
  });
  assert.equal(
    chunkChecksum('app', 't', ['id'], ['`id`', '`k`'], true, false),
    "SELECT COUNT(*) AS `n`, COALESCE(BIT_XOR(CRC32(CONCAT_WS('#', COALESCE(CRC32(`id`), 'N'), COALESCE(CRC32(`k`), 'N')))), 0) AS `h` FROM `app`.`t` WHERE `id` > ?",
  );
  assert.equal(
    chunkChecksum('app', 't', ['id'], ['`id`'], true, true, 2),
    "SELECT COUNT(*) AS `n`, COALESCE(BIT_XOR(CRC32(CONCAT_WS('#', COALESCE(CRC32(`id`), 'N')))), 0) AS `h` FROM `app`.`t` WHERE `id` > ? AND `id` <= ? AND NOT `id` IN (?, ?)",
  );
  assert.equal(pendingInRange('_schemabranch', 'migration_7_changelog_0', ['id'], false, true), 'SELECT DISTINCT `id` FROM `_schemabranch`.`migration_7_changelog_0` WHERE `side` = ? AND `id` <= ?');
  assert.equal(
    rowHashesOf('app', 't_sb1_new', ['a', 'b'], ['`a`'], 2),
    "SELECT `a`, `b`, CRC32(CONCAT_WS('#', COALESCE(CRC32(`a`), 'N'))) AS `h` FROM `app`.`t_sb1_new` WHERE (`a`, `b`) IN ((?, ?), (?, ?))",
  );
});

test('verify under 4 writers finds nothing on a faithful copy with converted columns; a change no trigger saw is named, and the cut-over refuses until it is gone', async () => {
  const { target, database, drop } = await freshDatabase('migsum');
  const writers = new WriterPool(target, database, 'items');
  const hidden = await unseen(target, database);
  let m: OnlineMigration | undefined;
  try {
    await exec(target, database, BASE_TABLE(database, 'items'));
    await writers.seed(20_000);
    // Rows no writer owns, so only this test changes them.
    await exec(target, database, "INSERT INTO items (id, k, c) VALUES (9000001, 1, 'a'), (9000002, 2, 'b'), (9000003, 3, 'café au lait')");
    await writers.start();
    const spec = "MODIFY `k` bigint NOT NULL DEFAULT 0, MODIFY `c` varchar(100) CHARACTER SET latin1 NOT NULL DEFAULT '', ADD COLUMN `note` int NULL";
    m = await OnlineMigration.prepare(target, database, newId(), [alterChange('items', spec)], { chunkTargetMs: 50 });
    await m.copy();
    await writers.progress(50);
    const clean = await m.verify();
    assert.equal(clean.ok, true, JSON.stringify(clean.tables[0]?.differences.slice(0, 3)));
    assert.ok(clean.tables[0]!.rows >= 20_003, `compared ${clean.tables[0]!.rows} rows`);
    console.log(`[checksum] ${clean.tables[0]!.rows} rows in ${clean.tables[0]!.chunks} chunks, ${clean.ms} ms, ${clean.tables[0]!.inFlight} rows in flight`);

    const shadow = shadowName('items', m.id);
    await hidden.query("UPDATE items SET c = 'changed unseen' WHERE id = 9000001");
    await hidden.query(`DELETE FROM \`${shadow}\` WHERE id = 9000002`);
    await hidden.query(`INSERT INTO \`${shadow}\` (id, k, c) VALUES (9000100, 0, 'stray')`);
    await writers.progress(20);
    await assert.rejects(m.cutOver(), (err: unknown) => {
      assert.ok(err instanceof CopyMismatch);
      assert.equal(err.retrySafe, true);
      assert.match(err.message, /^Cut-over refused: the copy of items does not match it in 3 rows: /);
      assert.match(err.message, /\{"id":"9000001"\} differs/);
      assert.match(err.message, /\{"id":"9000002"\} missing from the new table/);
      assert.match(err.message, /\{"id":"9000100"\} only in the new table/);
      return true;
    });
    assert.equal(m.phase, 'ready_to_cut_over' as string);
    assert.ok(!(await columnsOf(target, database, 'items')).includes('note'), 'nothing was swapped');

    // Put the shadow right (as a fresh copy would) and the cut-over goes through, writers still running.
    await hidden.query(`REPLACE INTO \`${shadow}\` (id, k, c, extra) SELECT id, k, c, extra FROM items WHERE id IN (9000001, 9000002)`);
    await hidden.query(`DELETE FROM \`${shadow}\` WHERE id = 9000100`);
    await m.cutOver();
    await writers.progress(20);
    await writers.stop();
    assert.ok((await columnsOf(target, database, 'items')).includes('note'));
    const result = await compareWithAcks(target, database, 'items', writers.acks);
    assert.deepEqual(result.missing, []);
    assert.deepEqual(result.different, []);
    assert.deepEqual(result.extra.sort(), [9000001, 9000002, 9000003]);
    await m.finish();
  } finally {
    await m?.close();
    await writers.stop().catch(() => undefined);
    await hidden.end();
    await drop();
  }
});

test("finding 1 replayed: an ON UPDATE CASCADE that changes a copied table behind the triggers' back is caught before cut-over, and such a key is refused up front", async () => {
  const { target, database, drop } = await freshDatabase('migsum2');
  let m: OnlineMigration | undefined;
  try {
    await exec(target, database, 'CREATE TABLE address (address_id smallint unsigned NOT NULL PRIMARY KEY, address varchar(50) NOT NULL) ENGINE=InnoDB');
    await exec(target, database, 'CREATE TABLE customer (customer_id smallint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, address_id smallint unsigned NOT NULL, KEY idx_fk_address_id (address_id), CONSTRAINT fk_customer_address FOREIGN KEY (address_id) REFERENCES address (address_id)) ENGINE=InnoDB');
    await exec(target, database, "INSERT INTO address VALUES (1, '47 MySakila Drive'), (3, '23 Workhaven Lane')");
    await exec(target, database, 'INSERT INTO customer (address_id) SELECT 1 FROM seq_1_to_500');
    const spec = "ADD COLUMN `note` varchar(20) NOT NULL DEFAULT ''";
    m = await OnlineMigration.prepare(target, database, newId(), [alterChange('customer', spec)]);
    await m.copy();
    // While it waits for cut-over, the key becomes ON UPDATE CASCADE (as it was in Sakila before the pre-flight refused it) and the parent's key changes.
    await exec(target, database, 'ALTER TABLE customer DROP FOREIGN KEY fk_customer_address');
    await exec(target, database, 'ALTER TABLE customer ADD CONSTRAINT fk_customer_address FOREIGN KEY (address_id) REFERENCES address (address_id) ON DELETE RESTRICT ON UPDATE CASCADE');
    await exec(target, database, 'UPDATE address SET address_id = 2 WHERE address_id = 1');
    const v = await m.verify();
    assert.equal(v.ok, false);
    assert.equal(v.tables[0]!.differences.length, 500);
    assert.deepEqual(v.tables[0]!.differences[0], { key: { customer_id: '1' }, problem: 'differs' });
    await assert.rejects(m.cutOver(), /the copy of customer does not match it in 500 rows: \{"customer_id":"1"\} differs; .* and 490 more\./);
    await m.abort();
    assert.deepEqual(await exec(target, database, 'SELECT COUNT(*) AS n FROM customer WHERE address_id = 2'), [{ n: 500 }]);
    await assert.rejects(OnlineMigration.prepare(target, database, newId(), [alterChange('customer', spec)]), (err: unknown) => err instanceof MigrationRefused && /fk_customer_address \(customer -> address\) is ON UPDATE CASCADE/.test(err.message));
  } finally {
    await m?.close();
    await drop();
  }
});
