import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MigrationRefused, OnlineMigration } from '../../src/migration/index.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { alterChange, columnsOf, exec, tableNames } from './scenario.js';

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

/** Inserts orders one by one until stopped; returns the ids the server acknowledged. */
function orderWriter(target: Parameters<typeof connect>[0], db: string) {
  const ids: number[] = [];
  let stop = false;
  let wake: (() => void) | undefined;
  const done = (async () => {
    const c = await connect(target, db);
    try {
      while (!stop) {
        const [r] = await c.query('INSERT INTO orders (total) VALUES (?)', [ids.length]);
        ids.push((r as { insertId: number }).insertId);
        wake?.();
      }
    } finally {
      await c.end();
    }
  })();
  return {
    ids,
    /** Resolves after `n` more acknowledged inserts. */
    async more(n: number): Promise<void> {
      const goal = ids.length + n;
      while (ids.length < goal) await new Promise<void>((r) => (wake = r));
    },
    async stop(): Promise<number[]> {
      stop = true;
      await done;
      return ids;
    },
  };
}

test("a table the user's triggers write into migrates under writers, and the trigger never misses a row (trigger-move.test.ts moves triggers themselves)", async () => {
  const { target, database, drop } = await freshDatabase('migpre3');
  let writer: ReturnType<typeof orderWriter> | undefined;
  try {
    await exec(target, database, 'CREATE TABLE orders (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, total int NOT NULL) ENGINE=InnoDB');
    await exec(target, database, 'CREATE TABLE audit (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, order_id int NOT NULL, what varchar(10) NOT NULL) ENGINE=InnoDB');
    await exec(target, database, "CREATE TRIGGER orders_ai AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (order_id, what) VALUES (NEW.id, 'insert')");
    await exec(target, database, "CREATE TRIGGER orders_au AFTER UPDATE ON orders FOR EACH ROW INSERT INTO audit (order_id, what) VALUES (NEW.id, 'update')");
    writer = orderWriter(target, database);
    await writer.more(20);
    // The table the trigger writes into has no trigger of its own: it migrates, and the trigger keeps writing into it through the swap.
    const m = await OnlineMigration.prepare(target, database, newId(), [alterChange('audit', 'ADD COLUMN `at` int NULL')], { chunkTargetMs: 20 });
    await m.copy();
    await writer.more(20);
    await m.cutOver();
    await writer.more(20);
    await m.finish();
    await m.close();
    const ids = await writer.stop();
    writer = undefined;
    const audited = (await exec(target, database, "SELECT order_id AS o FROM audit WHERE what = 'insert' ORDER BY order_id")) as { o: number }[];
    assert.deepEqual(audited.map((r) => r.o), ids, 'one audit row for every acknowledged order, before, during and after the deploy');
    assert.ok((await columnsOf(target, database, 'audit')).includes('at'));
  } finally {
    await writer?.stop();
    await drop();
  }
});
