import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OnlineMigration, RevertRefused } from '../../src/migration/index.js';
import { freshDatabase } from '../../../test/support/server.js';
import { waitUntil } from '../../../test/support/wait.js';
import { alterChange, columnsOf, exec } from './scenario.js';

const TABLE = 'CREATE TABLE items (id int NOT NULL PRIMARY KEY, c varchar(10) NOT NULL, code int NOT NULL, req int NOT NULL, UNIQUE KEY code (code))';
const newId = (): number => 6_000_000 + Math.floor(Math.random() * 1_000_000);

async function deployed(spec: string): Promise<{ m: OnlineMigration; target: Awaited<ReturnType<typeof freshDatabase>>['target']; database: string; drop: () => Promise<void> }> {
  const { target, database, drop } = await freshDatabase('migpre');
  await exec(target, database, TABLE);
  await exec(target, database, "INSERT INTO items VALUES (1, 'a', 1, 1), (2, 'b', 2, 2)");
  const m = await OnlineMigration.prepare(target, database, newId(), [alterChange('items', spec)]);
  await m.copy();
  await m.cutOver();
  return { m, target, database, drop };
}

test('revert is refused while a row written since the deploy holds a value too long for the old column', async () => {
  const { m, target, database, drop } = await deployed('MODIFY COLUMN `c` varchar(100) NOT NULL');
  try {
    await exec(target, database, "INSERT INTO items (id, c, code, req) VALUES (3, 'a much longer value', 3, 3)");
    m.startWindowSync(20);
    await waitUntil(() => m.windowSyncStatus.problems.length > 0, 'the window sync reports a problem');
    assert.match(m.windowSyncStatus.problems[0]!, /too long/i);
    const pre = await m.preflightRevert();
    assert.equal(pre.ok, false);
    assert.match(pre.problems.join('\n'), /1 row\(s\) of items .* key \["3"\]|1 row\(s\) of items .* key \[3\]/);
    assert.match(pre.problems.join('\n'), /too long/i);
    await assert.rejects(m.revert(), RevertRefused);
    assert.equal(m.phase, 'cut_over');
    assert.match((await columnsOf(target, database, 'items')).join(), /c/);

    await exec(target, database, "UPDATE items SET c = 'short' WHERE id = 3");
    assert.equal((await m.preflightRevert()).ok, true);
    await m.revert();
    const rows = (await exec(target, database, 'SELECT id, c FROM items ORDER BY id')) as { id: number; c: string }[];
    assert.deepEqual(rows, [{ id: 1, c: 'a' }, { id: 2, c: 'b' }, { id: 3, c: 'short' }]);
    await m.close();
  } finally {
    await drop();
  }
});

test('revert is refused when a removed unique key is now duplicated', async () => {
  const { m, target, database, drop } = await deployed('DROP INDEX `code`');
  try {
    await exec(target, database, "INSERT INTO items VALUES (3, 'c', 1, 3)");
    const pre = await m.preflightRevert();
    assert.equal(pre.ok, false);
    assert.match(pre.problems.join('\n'), /Duplicate entry '1'/);
    await m.finish();
    await m.close();
  } finally {
    await drop();
  }
});

test('revert is refused when a dropped NOT NULL column without default would be missing', async () => {
  const { m, target, database, drop } = await deployed('DROP COLUMN `req`');
  try {
    await exec(target, database, "INSERT INTO items (id, c, code) VALUES (3, 'c', 3)");
    const pre = await m.preflightRevert();
    assert.equal(pre.ok, false);
    assert.match(pre.problems.join('\n'), /req/);
    await m.finish();
    await m.close();
  } finally {
    await drop();
  }
});

test('pre-flight warns how many values in added columns a revert loses', async () => {
  const { m, target, database, drop } = await deployed('ADD COLUMN `note` varchar(20) NULL, ADD COLUMN `n` int NOT NULL DEFAULT 0');
  try {
    await exec(target, database, "UPDATE items SET note = 'kept?', n = 5 WHERE id = 1");
    await exec(target, database, "UPDATE items SET note = 'x' WHERE id = 2");
    const pre = await m.preflightRevert();
    assert.equal(pre.ok, true, pre.problems.join('\n'));
    assert.deepEqual(pre.warnings, ['2 values in items.note (added by this deploy) will be lost.', '1 values in items.n (added by this deploy) will be lost.']);
    await m.revert();
    assert.deepEqual(await columnsOf(target, database, 'items'), ['id', 'c', 'code', 'req']);
    await m.close();
  } finally {
    await drop();
  }
});
