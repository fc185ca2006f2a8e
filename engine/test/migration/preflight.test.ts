import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MigrationRefused, OnlineMigration } from '../../src/migration/index.js';
import { freshDatabase } from '../../../test/support/server.js';
import { alterChange, exec, tableNames } from './scenario.js';

const newId = (): number => 7_000_000 + Math.floor(Math.random() * 1_000_000);
const TRIGGERS = "SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY TRIGGER_NAME";

test("a prefix primary key (Joomla's webauthn_credentials) is refused for the whole request before any table of it is built", async () => {
  const { target, database, drop } = await freshDatabase('migpre1');
  try {
    for (const t of ['a', 'b', 'c']) await exec(target, database, `CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY, v int NULL) ENGINE=InnoDB`);
    await exec(target, database, 'CREATE TABLE webauthn_credentials (id varchar(1000) NOT NULL, user_id varchar(3072) NOT NULL, PRIMARY KEY (id(100))) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4');
    const spec = 'ADD COLUMN `note` int NULL';
    const changes = [...['a', 'b', 'c'].map((t) => alterChange(t, spec)), alterChange('webauthn_credentials', spec)];
    await assert.rejects(OnlineMigration.prepare(target, database, newId(), changes), (err: unknown) => {
      assert.ok(err instanceof MigrationRefused);
      assert.equal(err.problems.length, 1);
      assert.match(err.problems[0]!, /^Table webauthn_credentials cannot be changed online: the primary key indexes only a prefix of `id` \(`id`\(100\)\), so two rows can share a key value/);
      return true;
    });
    // Nothing built: no shadow of the three good tables, no trigger, no changelog.
    assert.deepEqual(await tableNames(target, database), ['a', 'b', 'c', 'webauthn_credentials']);
    assert.deepEqual(await exec(target, database, TRIGGERS, [database]), []);
  } finally {
    await drop();
  }
});

test('a change that keeps none of the row keys is refused up front too', async () => {
  const { target, database, drop } = await freshDatabase('migpre2');
  try {
    await exec(target, database, 'CREATE TABLE t (id int NOT NULL, code int NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB');
    const after = { name: 't', columns: [], indexes: [{ name: 'PRIMARY', kind: 'primary' as const, parts: [{ column: 'code' }] }], foreignKeys: [], checks: [], options: {} };
    const change = { ...alterChange('t', 'DROP PRIMARY KEY, ADD PRIMARY KEY (`code`)'), after } as unknown as ReturnType<typeof alterChange>;
    await assert.rejects(OnlineMigration.prepare(target, database, newId(), [change]), /the new schema keeps none of the keys that identify its rows today \(PRIMARY\)/);
    assert.deepEqual(await tableNames(target, database), ['t']);
  } finally {
    await drop();
  }
});

test("a table with the user's triggers is refused before anything is built, naming each trigger", async () => {
  const { target, database, drop } = await freshDatabase('migpre3');
  try {
    await exec(target, database, 'CREATE TABLE orders (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, total int NOT NULL) ENGINE=InnoDB');
    await exec(target, database, 'CREATE TABLE audit (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, order_id int NOT NULL, what varchar(10) NOT NULL) ENGINE=InnoDB');
    await exec(target, database, "CREATE TRIGGER orders_ai AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (order_id, what) VALUES (NEW.id, 'insert')");
    await exec(target, database, "CREATE TRIGGER orders_au AFTER UPDATE ON orders FOR EACH ROW INSERT INTO audit (order_id, what) VALUES (NEW.id, 'update')");
    await assert.rejects(OnlineMigration.prepare(target, database, newId(), [alterChange('orders', 'ADD COLUMN `note` int NULL')]), (err: unknown) => {
      assert.ok(err instanceof MigrationRefused);
      assert.match(err.problems[0]!, /^Table orders has triggers orders_ai \(AFTER INSERT\), orders_au \(AFTER UPDATE\)\. A trigger stays with the table it was created on/);
      return true;
    });
    assert.deepEqual(await tableNames(target, database), ['audit', 'orders']);
    assert.deepEqual(await exec(target, database, TRIGGERS, [database]), [{ n: 'orders_ai' }, { n: 'orders_au' }]);
    // The audit table itself has no trigger: it migrates, and the trigger writing into it keeps working throughout.
    const m = await OnlineMigration.prepare(target, database, newId(), [alterChange('audit', 'ADD COLUMN `at` int NULL')]);
    await m.copy();
    await exec(target, database, 'INSERT INTO orders (total) VALUES (5)');
    await m.cutOver();
    await exec(target, database, 'UPDATE orders SET total = 6');
    await m.finish();
    await m.close();
    assert.deepEqual(await exec(target, database, 'SELECT what FROM audit ORDER BY id'), [{ what: 'insert' }, { what: 'update' }]);
  } finally {
    await drop();
  }
});
