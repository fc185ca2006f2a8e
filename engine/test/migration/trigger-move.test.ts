/**
 * The user's triggers through an online migration: they move to the new table
 * in the cut-over's locked step and back in the revert's, the table kept in
 * sync through the revert window carries none, and every acknowledged write
 * fires the audit trigger exactly once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MigrationRefused, OnlineMigration } from '../../src/migration/index.js';
import { oldName } from '../../src/migration/names.js';
import { parseSchemaFile } from '../../src/schema/parse.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { alterChange, BASE_TABLE, exec, tableNames } from './scenario.js';
import { compareWithAcks, WriterPool } from './writers.js';

const newId = (): number => 8_000_000 + Math.floor(Math.random() * 1_000_000);
type Where = { n: string; tb: string; m: string };
const where = async (target: Parameters<typeof exec>[0], db: string): Promise<Where[]> =>
  (await exec(target, db, 'SELECT TRIGGER_NAME AS n, EVENT_OBJECT_TABLE AS tb, SQL_MODE AS m FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME NOT LIKE ? ORDER BY TRIGGER_NAME', [db, '\\_sb%'])) as Where[];
const auditRows = async (target: Parameters<typeof exec>[0], db: string): Promise<number> => Number(((await exec(target, db, 'SELECT COUNT(*) AS n FROM audit')) as { n: number }[])[0]!.n);

async function withAuditedItems(target: Parameters<typeof exec>[0], db: string): Promise<void> {
  await exec(target, db, BASE_TABLE(db, 'items'));
  await exec(target, db, 'CREATE TABLE audit (seq bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, item_id int NOT NULL, op char(1) NOT NULL) ENGINE=InnoDB');
}

async function createAuditTriggers(target: Parameters<typeof exec>[0], db: string): Promise<void> {
  await exec(target, db, "CREATE TRIGGER items_ai AFTER INSERT ON items FOR EACH ROW INSERT INTO audit (item_id, op) VALUES (NEW.id, 'i')");
  await exec(target, db, "CREATE TRIGGER items_au AFTER UPDATE ON items FOR EACH ROW INSERT INTO audit (item_id, op) VALUES (NEW.id, 'u')");
  // Created under ANSI_QUOTES: the move must keep the sql_mode the body was written for.
  const c = await connect(target, db);
  try {
    await c.query("SET SESSION sql_mode = 'ANSI_QUOTES'");
    await c.query("CREATE TRIGGER items_ad AFTER DELETE ON items FOR EACH ROW INSERT INTO \"audit\" (item_id, op) VALUES (OLD.id, 'd')");
  } finally {
    await c.end();
  }
}

test('a table with audit triggers migrates online: each write audited once through cut-over, revert window and revert', async () => {
  const { target, database, drop } = await freshDatabase('migtrg');
  const writers = new WriterPool(target, database, 'items');
  try {
    await withAuditedItems(target, database);
    await writers.seed(5000);
    await createAuditTriggers(target, database);
    const ackedBefore = writers.acks.acknowledged;
    await writers.start();
    await writers.progress(20);
    const id = newId();
    const m = await OnlineMigration.prepare(target, database, id, [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')], { chunkTargetMs: 50 });
    await m.copy();
    await writers.progress(20);
    const { stallMs } = await m.cutOver();
    const onNew = await where(target, database);
    assert.deepEqual(onNew.map((x) => `${x.n}@${x.tb}`), ['items_ad@items', 'items_ai@items', 'items_au@items'], 'the triggers moved with the name: none stays on the table set aside');
    assert.match(onNew[0]!.m, /ANSI_QUOTES/);
    m.startWindowSync(50);
    await writers.progress(50);

    await writers.hold();
    const mid = await compareWithAcks(target, database, 'items', writers.acks);
    assert.deepEqual({ missing: mid.missing, extra: mid.extra, different: mid.different }, { missing: [], extra: [], different: [] });
    // The engine applied every write to the old table too: without triggers there, nothing was audited twice.
    await m.preflightRevert();
    assert.equal(await auditRows(target, database), writers.acks.acknowledged - ackedBefore, 'one audit row per acknowledged write in the revert window');
    assert.ok((await where(target, database)).every((x) => x.tb !== oldName('items', id)));
    writers.unhold();
    await writers.progress(30);

    const rev = await m.revert();
    assert.deepEqual((await where(target, database)).map((x) => `${x.n}@${x.tb}`), ['items_ad@items', 'items_ai@items', 'items_au@items']);
    await writers.progress(20);
    await writers.stop();
    const end = await compareWithAcks(target, database, 'items', writers.acks);
    assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] });
    const audited = await auditRows(target, database);
    const writes = writers.acks.acknowledged - ackedBefore;
    console.log(`[triggers] writes acknowledged ${writes} (not acknowledged ${writers.acks.failed}), audit rows ${audited}, rows compared ${end.compared}; cut-over stall ${stallMs} ms, revert stall ${rev.stallMs} ms, longest write ${writers.acks.longestWriteMs} ms`);
    assert.equal(audited, writes, 'one audit row per acknowledged write, no more, no less');
    assert.deepEqual(await tableNames(target, database), ['audit', 'items']);
    await m.finish();
    await m.close();
  } finally {
    await writers.stop().catch(() => undefined);
    await drop();
  }
});

test('a change that drops a column a trigger reads is refused before anything is built, in the server\'s words', async () => {
  const { target, database, drop } = await freshDatabase('migtrg2');
  try {
    await withAuditedItems(target, database);
    await exec(target, database, "CREATE TRIGGER items_bu BEFORE UPDATE ON items FOR EACH ROW SET NEW.c = CONCAT(NEW.c, OLD.extra)");
    const after = parseSchemaFile('items.sql', "CREATE TABLE items (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, k int NOT NULL DEFAULT 0, c varchar(64) NOT NULL DEFAULT '', KEY k (k)) ENGINE=InnoDB").tables[0]!;
    const change = { ...alterChange('items', 'DROP COLUMN `extra`'), after };
    const triggersBefore = await where(target, database);
    await assert.rejects(OnlineMigration.prepare(target, database, newId(), [change]), (err: unknown) => {
      assert.ok(err instanceof MigrationRefused);
      assert.match(err.message, /Trigger items_bu on items would not work on the new items: the server says "Unknown column 'extra' in 'OLD'"/);
      return true;
    });
    assert.deepEqual(await tableNames(target, database), ['audit', 'items']);
    assert.deepEqual(await where(target, database), triggersBefore);
    const probes = (await exec(target, database, "SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\\_sb\\_probe\\_%'")) as unknown[];
    assert.deepEqual(probes, [], 'the scratch copy is gone');
  } finally {
    await drop();
  }
});

test('a trigger that cannot be created under the cut-over locks undoes the swap: the live table keeps its triggers', async () => {
  const { target, database, drop } = await freshDatabase('migtrg3');
  try {
    await withAuditedItems(target, database);
    await createAuditTriggers(target, database);
    const id = newId();
    const m = await OnlineMigration.prepare(target, database, id, [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')]);
    await m.copy();
    await m.close();
    // What no preflight lets through, forced: the recorded definition for after the cut-over names a column no table has.
    const bad = "CREATE TRIGGER items_ai AFTER INSERT ON items FOR EACH ROW INSERT INTO audit (item_id, op) VALUES (NEW.nosuch, 'i')";
    await exec(target, database, "UPDATE _schemabranch.migration_tables SET triggers = JSON_SET(triggers, '$.after[1].statement', ?) WHERE migration_id = ?", [bad, id]);
    const m2 = (await OnlineMigration.load(target, id))!;
    const before = await where(target, database);
    await assert.rejects(m2.cutOver(), /Unknown column 'nosuch' in 'NEW'/);
    assert.equal(m2.phase, 'ready_to_cut_over');
    assert.deepEqual(await where(target, database), before, 'every trigger back on the live table');
    await exec(target, database, "INSERT INTO items (id, k, c) VALUES (1, 1, 'a')");
    await exec(target, database, 'DELETE FROM items WHERE id = 1');
    assert.equal(await auditRows(target, database), 2, 'writes after the failed cut-over are audited');
    await m2.abort();
    assert.deepEqual(await tableNames(target, database), ['audit', 'items']);
    assert.deepEqual(await where(target, database), before, 'abort changes no trigger');
    await m2.close();
  } finally {
    await drop();
  }
});

test('a process that dies in the middle of the move (triggers dropped, one created on the shadow, no RENAME): loading the migration puts them back on the live table', async () => {
  const { target, database, drop } = await freshDatabase('migtrg4');
  try {
    await withAuditedItems(target, database);
    await createAuditTriggers(target, database);
    const id = newId();
    const m = await OnlineMigration.prepare(target, database, id, [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')]);
    await m.copy();
    await m.close();
    const before = await where(target, database);
    // What the swap's connection had done under its locks when it died: the step recorded, the triggers dropped, one re-created on the shadow.
    await exec(target, database, "UPDATE _schemabranch.migration_runs SET step = 'cutting_over' WHERE id = ?", [id]);
    for (const n of ['items_ad', 'items_ai', 'items_au']) await exec(target, database, `DROP TRIGGER ${n}`);
    await exec(target, database, `CREATE TRIGGER items_ai AFTER INSERT ON \`items_sb${id}_new\` FOR EACH ROW INSERT INTO audit (item_id, op) VALUES (NEW.id, 'i')`);
    const m2 = (await OnlineMigration.load(target, id))!;
    assert.equal(m2.phase, 'ready_to_cut_over');
    assert.deepEqual(await where(target, database), before, 'every trigger back on the live table, none on the shadow');
    // And the cut-over then moves them as usual.
    await m2.cutOver();
    assert.deepEqual((await where(target, database)).map((x) => `${x.n}@${x.tb}`), ['items_ad@items', 'items_ai@items', 'items_au@items']);
    await exec(target, database, "INSERT INTO items (id, k, c) VALUES (1, 1, 'a')");
    assert.equal(await auditRows(target, database), 1);
    await m2.finish();
    await m2.close();
  } finally {
    await drop();
  }
});
