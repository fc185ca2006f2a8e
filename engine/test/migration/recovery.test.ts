import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OnlineMigration } from '../../src/migration/index.js';
import { oldName } from '../../src/migration/names.js';
import { createSentry } from '../../src/migration/sql.js';
import { setPhase } from '../../src/migration/store.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { alterChange, BASE_TABLE, columnsOf, exec, tableNames } from './scenario.js';

const newId = (): number => 8_000_000 + Math.floor(Math.random() * 1_000_000);

async function prepared(): Promise<{ m: OnlineMigration; id: number } & Awaited<ReturnType<typeof freshDatabase>>> {
  const fresh = await freshDatabase('migrec');
  await exec(fresh.target, fresh.database, BASE_TABLE(fresh.database, 'items'));
  await exec(fresh.target, fresh.database, "INSERT INTO items (k, c) VALUES (1, 'a'), (2, 'b')");
  const id = newId();
  const m = await OnlineMigration.prepare(fresh.target, fresh.database, id, [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 0')]);
  await m.copy();
  return { m, id, ...fresh };
}

test('a process that died holding the cut-over locks (sentry left, no RENAME) is settled as ready to cut over', async () => {
  const { m, id, target, database, drop } = await prepared();
  try {
    const c = await connect(target);
    await c.query(createSentry(database, oldName('items', id)));
    await setPhase(c, id, 'ready_to_cut_over', 'cutting_over');
    await c.end();
    await m.close();

    const again = await OnlineMigration.load(target, id);
    assert.equal(again?.phase, 'ready_to_cut_over');
    assert.ok(!(await tableNames(target, database)).includes(oldName('items', id)), 'the stale sentry is dropped');
    await again.cutOver();
    assert.ok((await columnsOf(target, database, 'items')).includes('added'));
    await again.finish();
    await again.close();
  } finally {
    await drop();
  }
});

test('a process that died after the RENAME but before recording it is settled as cut over, from the tables on the server', async () => {
  const { m, id, target, database, drop } = await prepared();
  try {
    await m.cutOver();
    const c = await connect(target);
    await setPhase(c, id, 'ready_to_cut_over', 'cutting_over');
    await c.end();
    await m.close();

    const again = await OnlineMigration.load(target, id);
    assert.equal(again?.phase, 'cut_over');
    await exec(target, database, "INSERT INTO items (k, c, added) VALUES (3, 'written in the window', 9)");
    await again.revert();
    const rows = (await exec(target, database, 'SELECT c FROM items ORDER BY id')) as { c: string }[];
    assert.deepEqual(rows.map((r) => r.c), ['a', 'b', 'written in the window']);
    await again.close();
  } finally {
    await drop();
  }
});

test('a revert cut short after its RENAME is settled as reverted; one cut short before it leaves the window open', async () => {
  const { m, id, target, database, drop } = await prepared();
  try {
    await m.cutOver();
    const c = await connect(target);
    await setPhase(c, id, 'cut_over', 'reverting');
    await m.close();
    const open = await OnlineMigration.load(target, id);
    assert.equal(open?.phase, 'cut_over', 'no RENAME happened: the window is still open');
    await open.revert();
    await open.close();
    await setPhase(c, id, 'cut_over', 'reverting');
    await c.end();
    const done = await OnlineMigration.load(target, id);
    assert.equal(done?.phase, 'reverted');
    assert.deepEqual(await tableNames(target, database), ['items']);
    await done.close();
  } finally {
    await drop();
  }
});

test('a prepare that died before creating all its triggers gets the missing ones before any row is copied', async () => {
  const fresh = await freshDatabase('migrec');
  const { target, database, drop } = fresh;
  try {
    await exec(target, database, BASE_TABLE(database, 'items'));
    await exec(target, database, "INSERT INTO items (k, c) VALUES (1, 'a'), (2, 'b')");
    const id = newId();
    const m = await OnlineMigration.prepare(target, database, id, [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 0')]);
    await exec(target, database, `DROP TRIGGER \`_sb${id}_0_o_upd\``);
    await m.close();
    const again = await OnlineMigration.load(target, id);
    assert.equal(again?.phase, 'prepared');
    await again.copy();
    const triggers = (await exec(target, database, 'SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY 1', [database])) as { n: string }[];
    assert.ok(triggers.some((t) => t.n === `_sb${id}_0_o_upd`));
    await exec(target, database, "UPDATE items SET c = 'changed after the copy' WHERE id = 1");
    await again.cutOver();
    const rows = (await exec(target, database, 'SELECT c FROM items ORDER BY id')) as { c: string }[];
    assert.deepEqual(rows.map((r) => r.c), ['changed after the copy', 'b']);
    await again.finish();
    await again.close();
  } finally {
    await drop();
  }
});
