import assert from 'node:assert/strict';
import { test } from 'node:test';
import { namesTable, readLockHoldersPerformanceSchema, readLockHoldersPlugin } from '../../src/migration/blockers.js';
import { deleteChangelog } from '../../src/migration/sql.js';

test('a long statement is a blocker only when it names the table of this database', () => {
  const t = [{ db: 'shop', name: 'items' }];
  assert.equal(namesTable('SELECT SLEEP(5) FROM items WHERE id = 1', t), true);
  assert.equal(namesTable('SELECT * FROM `shop`.`items`', t), true);
  assert.equal(namesTable('select * from shop.ITEMS', t), true);
  assert.equal(namesTable('INSERT INTO `other`.`items_sb3_old` SELECT * FROM `other`.`items`', t), false, 'same name in another database');
  assert.equal(namesTable('SELECT * FROM items_archive JOIN myitems', t), false);
  assert.equal(namesTable(null, t), false);
  assert.equal(namesTable('SELECT SLEEP(5) FROM items', t, 'other'), false, 'unqualified, in another default database');
  assert.equal(namesTable('SELECT SLEEP(5) FROM items', t, 'shop'), true);
});

test('lock-holder queries, one condition per table', () => {
  assert.equal(readLockHoldersPlugin(2), 'SELECT DISTINCT THREAD_ID AS id FROM information_schema.METADATA_LOCK_INFO WHERE (TABLE_SCHEMA = ? AND TABLE_NAME = ?) OR (TABLE_SCHEMA = ? AND TABLE_NAME = ?)');
  assert.equal(
    readLockHoldersPerformanceSchema(1),
    "SELECT DISTINCT t.PROCESSLIST_ID AS id FROM performance_schema.metadata_locks m JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID WHERE m.OBJECT_TYPE = 'TABLE' AND m.LOCK_STATUS = 'GRANTED' AND ((m.OBJECT_SCHEMA = ? AND m.OBJECT_NAME = ?))",
  );
  assert.match(deleteChangelog('_schemabranch', 'cl', 1), /STRAIGHT_JOIN/);
});
