/**
 * A Sakila-like branch with views, triggers, routines and an event: push creates them
 * after the tables, reading back diffs empty, and each edit gives exactly the expected
 * statements, which applied make the diff empty again.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { withConnection } from '../../src/db/connection.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { reconcileMainFiles } from '../../src/branch/main-reconcile.js';
import { testWorkspace } from './workspace.js';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'schema', 'fixtures', 'objects', name), 'utf8');

// A file holding just the statement: no DELIMITER, BEGIN ... END keeps its `;`.
const DELETE_TRIGGER = `CREATE TRIGGER customer_deleted AFTER DELETE ON customer FOR EACH ROW
BEGIN
  INSERT INTO customer_audit (customer_id, action) VALUES (OLD.customer_id, 'delete');
END;
`;

const FILES = {
  'schema/main/tables.sql': fixture('tables.sql'),
  'schema/main/views.sql': fixture('views.sql'),
  'schema/main/routines.sql': fixture('routines.sql'),
  'schema/main/event.sql': fixture('event.sql'),
  'schema/main/customer_deleted.sql': DELETE_TRIGGER,
};

test('branch push creates views, triggers, routines and an event after the tables; they read back equal and work', async () => {
  const ws = await testWorkspace(FILES, 'obj');
  try {
    const first = await ws.branches.pushBranch('main');
    const kinds = first.changes.map((c) => c.kind);
    assert.deepEqual(kinds, [...Array(7).fill('create_table'), ...Array(7).fill('create_object')]);
    assert.deepEqual(first.changes.slice(7).map((c) => `${c.object!.kind} ${c.object!.name}`), [
      'procedure film_in_stock',
      'function get_customer_balance',
      'view film_list',
      'view cheap_film_list',
      'trigger customer_deleted',
      'trigger customer_create_date',
      'event count_customers',
    ]);
    const again = await ws.branches.pushBranch('main');
    assert.deepEqual(again.changes.map((c) => c.statement), [], 'files -> server -> read back diffs empty');

    await withConnection(ws.target, ws.config.database, async (conn) => {
      await conn.query("INSERT INTO category VALUES (1, 'Comedy')");
      await conn.query("INSERT INTO film (film_id, title, rental_rate) VALUES (1, 'ACADEMY DINOSAUR', 0.99)");
      await conn.query('INSERT INTO film_category VALUES (1, 1)');
      await conn.query("INSERT INTO customer (customer_id, first_name, balance) VALUES (7, 'MARY', 12.5)");
      await conn.query('DELETE FROM customer WHERE customer_id = 7');
      const [audit] = await conn.query<RowDataPacket[]>('SELECT action FROM customer_audit ORDER BY id');
      assert.deepEqual(audit.map((r) => r.action), ['insert', 'delete'], 'both triggers maintain customer_audit');
      const [cheap] = await conn.query<RowDataPacket[]>('SELECT title, category FROM cheap_film_list');
      assert.deepEqual(cheap.map((r) => [r.title, r.category]), [['ACADEMY DINOSAUR', 'Comedy']]);
      const [balance] = await conn.query<RowDataPacket[]>('SELECT get_customer_balance(99, NOW()) AS b');
      assert.equal(balance[0].b, '0.00');
    });
  } finally {
    await ws.cleanup();
  }
});

test('editing each object gives exactly the expected statements; applied, the branch diffs empty again', async () => {
  const ws = await testWorkspace(FILES, 'obj');
  try {
    await ws.branches.pushBranch('main');
    await ws.branches.createBranch('dev');
    assert.deepEqual((await ws.branches.pushBranch('dev', { dryRun: true })).changes, []);

    ws.write('schema/dev/views.sql', fixture('views.sql').replace('film.rental_rate AS price', 'film.rental_rate AS price, film.length AS length'));
    ws.write('schema/dev/routines.sql', fixture('routines.sql').replace("'insert'", "'created'").replace('IN p_store_id INT', 'IN p_store_id TINYINT').replace('SET v_balance = 0', 'SET v_balance = -1'));
    ws.write('schema/dev/event.sql', fixture('event.sql').replace('EVERY 1 DAY', 'EVERY 1 HOUR'));
    ws.write('schema/dev/customer_deleted.sql', '');
    ws.write('schema/dev/film_in_store.sql', 'CREATE VIEW film_in_store AS SELECT film_id, store_id, COUNT(*) AS copies FROM inventory GROUP BY film_id, store_id;');

    const planned = (await ws.branches.pushBranch('dev', { dryRun: true })).changes;
    assert.deepEqual(
      planned.map((c) => [c.class, c.statement.split('\n')[0]]),
      [
        // Drops in file order (event.sql, routines.sql), the removed trigger last; creates by kind.
        ['safe', 'DROP EVENT `count_customers`'],
        ['data-dependent', 'DROP TRIGGER `customer_create_date`'],
        ['safe', 'DROP PROCEDURE `film_in_stock`'],
        ['safe', 'DROP FUNCTION `get_customer_balance`'],
        ['destructive', 'DROP TRIGGER `customer_deleted`'],
        ['safe', 'CREATE PROCEDURE `film_in_stock` (IN p_film_id INT, IN p_store_id TINYINT, OUT p_film_count INT)'],
        ['safe', 'CREATE FUNCTION `get_customer_balance` (p_customer_id INT, p_effective_date DATETIME) RETURNS DECIMAL(5,2)'],
        ['safe', 'CREATE VIEW `film_in_store` AS SELECT film_id, store_id, COUNT(*) AS copies FROM inventory GROUP BY film_id, store_id'],
        ['safe', 'CREATE OR REPLACE ALGORITHM=UNDEFINED SQL SECURITY INVOKER VIEW `film_list` AS'],
        ['safe', 'CREATE TRIGGER `customer_create_date` BEFORE INSERT ON customer FOR EACH ROW'],
        ['safe', 'CREATE EVENT `count_customers` ON SCHEDULE EVERY 1 HOUR'],
      ],
    );
    assert.equal(planned.find((c) => c.object?.name === 'film_list')!.kind, 'replace_object');
    await ws.branches.pushBranch('dev');
    assert.deepEqual((await ws.branches.pushBranch('dev', { dryRun: true })).changes, [], 'applied, the diff is empty again');

    const devDb = `${ws.config.database}__dev`;
    await withConnection(ws.target, devDb, async (conn) => {
      await conn.query("INSERT INTO customer (customer_id, first_name) VALUES (8, 'LINDA')");
      const [audit] = await conn.query<RowDataPacket[]>('SELECT action FROM customer_audit');
      assert.deepEqual(audit.map((r) => r.action), ['created'], 'the new trigger body runs');
      const [cols] = await conn.query<RowDataPacket[]>(`SHOW COLUMNS FROM ${quoteIdent('film_list')}`);
      assert.deepEqual(cols.map((r) => r.Field), ['FID', 'title', 'category', 'price', 'length']);
    });
  } finally {
    await ws.cleanup();
  }
});

test('pull writes one file per object, without the definer, that pushes back with no changes', async () => {
  const ws = await testWorkspace(FILES, 'obj');
  try {
    await ws.branches.pushBranch('main');
    const pulled = await ws.branches.pullBranch('main');
    assert.deepEqual(pulled.written.filter((f) => !/\/(category|customer|customer_audit|daily_stats|film|film_category|inventory)\.sql$/.test(f)).sort(), [
      'schema/main/event.count_customers.sql',
      'schema/main/function.get_customer_balance.sql',
      'schema/main/procedure.film_in_stock.sql',
      'schema/main/trigger.customer_create_date.sql',
      'schema/main/trigger.customer_deleted.sql',
      'schema/main/view.cheap_film_list.sql',
      'schema/main/view.film_list.sql',
    ]);
    const trigger = readFileSync(join(ws.root, 'schema/main/trigger.customer_create_date.sql'), 'utf8');
    assert.match(trigger, /^DELIMITER \$\$\nCREATE TRIGGER `customer_create_date` BEFORE INSERT ON customer FOR EACH ROW\nBEGIN\n[\s\S]*END\$\$\nDELIMITER ;\n$/);
    assert.doesNotMatch(readFileSync(join(ws.root, 'schema/main/view.film_list.sql'), 'utf8'), /DEFINER|obj_/);
    assert.deepEqual((await ws.branches.pushBranch('main')).changes, []);
  } finally {
    await ws.cleanup();
  }
});

test("bringing main's files in line after a deploy keeps files of views, triggers, routines and events, and writes the ones no file describes", async () => {
  const ws = await testWorkspace(FILES, 'obj');
  try {
    await ws.branches.pushBranch('main');
    await withConnection(ws.target, ws.config.database, async (conn) => {
      await conn.query('CREATE VIEW film_titles AS SELECT title FROM film');
    });
    const change = await reconcileMainFiles(ws.root, ws.config, ws.target, []);
    assert.deepEqual(change.removed, []);
    assert.deepEqual(change.kept.sort(), ['schema/main/customer_deleted.sql', 'schema/main/event.sql', 'schema/main/routines.sql', 'schema/main/tables.sql', 'schema/main/views.sql']);
    assert.deepEqual(change.fromServer, ['schema/main/view.film_titles.sql']);
    assert.equal(readFileSync(join(ws.root, 'schema/main/routines.sql'), 'utf8'), fixture('routines.sql'), 'kept as written');
    assert.deepEqual((await ws.branches.pushBranch('main')).changes, []);
  } finally {
    await ws.cleanup();
  }
});

test('triggers ordered with FOLLOWS and PRECEDES push in any file order, fire in their order and read back equal', async () => {
  const ws = await testWorkspace({
    'schema/main/t.sql': `CREATE TABLE t (id int NOT NULL, a int NOT NULL, PRIMARY KEY (id));
CREATE TRIGGER second BEFORE INSERT ON t FOR EACH ROW FOLLOWS first SET NEW.a = NEW.a * 2;
CREATE TRIGGER zeroth BEFORE INSERT ON t FOR EACH ROW PRECEDES first SET NEW.a = NEW.a * 10;
CREATE TRIGGER first BEFORE INSERT ON t FOR EACH ROW SET NEW.a = NEW.a + 1;
`,
  }, 'obj');
  try {
    await ws.branches.pushBranch('main');
    assert.deepEqual((await ws.branches.pushBranch('main')).changes, []);
    await withConnection(ws.target, ws.config.database, async (conn) => {
      await conn.query('INSERT INTO t VALUES (1, 1)');
      const [rows] = await conn.query<RowDataPacket[]>('SELECT a FROM t');
      assert.equal(rows[0].a, 22, '((1 * 10) + 1) * 2: zeroth, first, second');
    });
  } finally {
    await ws.cleanup();
  }
});
