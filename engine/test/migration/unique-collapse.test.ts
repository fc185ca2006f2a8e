import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OnlineMigration, UniqueKeyCollapse } from '../../src/migration/index.js';
import { freshDatabase } from '../../../test/support/server.js';
import { alterChange, BASE_TABLE, exec, tableNames } from './scenario.js';

test('a duplicate written during the copy for a new unique key stops the cut-over before the swap, naming the key', async () => {
  const { target, database, drop } = await freshDatabase('miguniq');
  try {
    await exec(target, database, BASE_TABLE(database, 'items'));
    await exec(target, database, "INSERT INTO items (id, k, c) SELECT seq, seq, CONCAT('row-', seq) FROM seq_1_to_2000");
    const m = await OnlineMigration.prepare(target, database, 9_000_000 + Math.floor(Math.random() * 900_000), [alterChange('items', 'ADD UNIQUE KEY `uniq_c` (`c`)')]);
    await m.copy();
    // The application writes a duplicate of an existing value after prepare checked: the drain's REPLACE collapses the two rows.
    await exec(target, database, "INSERT INTO items (k, c) VALUES (0, 'row-7')");
    await assert.rejects(m.cutOver(), (err: unknown) => {
      assert.ok(err instanceof UniqueKeyCollapse);
      assert.match(err.message, /uniq_c on items/);
      assert.match(err.message, /duplicates were written during the copy/);
      assert.equal(err.rowsInTable, 2001);
      assert.equal(err.rowsInShadow, 2000);
      return true;
    });
    assert.equal(m.phase, 'ready_to_cut_over');
    const keys = (await exec(target, database, "SELECT INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'items' AND INDEX_NAME = 'uniq_c'", [database])) as unknown[];
    assert.equal(keys.length, 0, 'the original table still holds the user name');
    await m.abort();
    await m.close();
    assert.deepEqual(await tableNames(target, database), ['items']);
  } finally {
    await drop();
  }
});
