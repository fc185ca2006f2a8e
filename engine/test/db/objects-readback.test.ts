/**
 * Views, triggers, routines and events: what the mariadb client creates from the files,
 * read back, equals the files probed on the server (db/object-probe.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLiveSchema, readServerDefaults } from '../../src/db/introspect.js';
import { createConnection } from 'mysql2/promise';
import { ObjectRefusedError, probeObjects } from '../../src/db/object-probe.js';
import { quoteIdent, quoteString } from '../../src/sql/quote.js';
import type { SchemaObject } from '../../src/schema/model.js';
import { normalizeSchema } from '../../src/schema/normalize.js';
import { diffSchemas } from '../../src/diff/index.js';
import { parseSchemaFiles } from '../../src/schema/parse.js';
import { loadWithClient } from '../corpus/corpus.js';
import { connect, freshDatabase } from '../../../test/support/server.js';

const FILES = ['tables.sql', 'views.sql', 'routines.sql', 'event.sql'];
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'schema', 'fixtures', 'objects', name), 'utf8');

test('Sakila-like objects loaded by the mariadb client read back equal to the files probed on the server', async () => {
  const { target, database, drop } = await freshDatabase('obj');
  const conn = await connect(target);
  try {
    // The client ends each text with `;`: DO 0 gives the one after `DELIMITER ;` something to end.
    await loadWithClient(target, database, FILES.map((f) => `${fixture(f)}\nDO 0`));
    const live = await readLiveSchema(conn, database);
    const defaults = await readServerDefaults(conn, database);
    const parsed = parseSchemaFiles(FILES.map((f) => ({ file: f, text: fixture(f) })));
    assert.deepEqual(parsed.problems, []);
    const probed = await probeObjects(conn, normalizeSchema(parsed.schema, defaults), defaults);

    assert.deepEqual(live.objects?.map((o) => `${o.kind} ${o.name}`), ['procedure film_in_stock', 'function get_customer_balance', 'view cheap_film_list', 'view film_list', 'trigger customer_create_date', 'event count_customers']);
    for (const o of probed.objects ?? []) {
      const back: SchemaObject | undefined = live.objects?.find((l) => l.kind === o.kind && l.name === o.name);
      assert.ok(back, `${o.kind} ${o.name} read back`);
      assert.equal(back.canonical, o.canonical, `${o.kind} ${o.name}`);
      assert.deepEqual(back.definer, { user: 'root', host: 'localhost' });
      assert.equal(o.definer, undefined, 'the files name no definer');
    }
    const view = live.objects!.find((o) => o.name === 'film_list')!;
    assert.ok(!view.canonical!.includes(database), view.canonical);
    assert.match(view.canonical!, /^CREATE ALGORITHM = UNDEFINED SQL SECURITY INVOKER VIEW film_list AS select film \. film_id AS FID ,/);
    assert.match(view.body, /^AS select `film`\.`film_id` AS `FID`,/);
    assert.deepEqual(live.objects!.find((o) => o.kind === 'trigger')!.trigger, { table: 'customer', timing: 'BEFORE', event: 'INSERT' });
    assert.doesNotMatch(live.objects!.find((o) => o.kind === 'event')!.canonical!, /STARTS/);
    // The probe leaves no scratch database and the connection where it was.
    const [dbs] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\\_sb\\_probe\\_%'");
    assert.equal(Number((dbs as Array<{ n: number }>)[0].n), 0);
  } finally {
    await conn.end();
    await drop();
  }
});

test('events keep their own status through the probe (which creates them disabled), and a comment after it', async () => {
  const { target, database, drop } = await freshDatabase('obj');
  const conn = await connect(target, database);
  try {
    const text = [
      'CREATE TABLE t (a int);',
      "CREATE EVENT e_off ON SCHEDULE EVERY 1 HOUR ON COMPLETION PRESERVE DISABLE COMMENT 'kept off' DO DELETE FROM t;",
      "CREATE EVENT e_on ON SCHEDULE EVERY 2 HOUR ENABLE COMMENT 'on' DO DELETE FROM t WHERE a < 0;",
      "CREATE EVENT e_later ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' ENDS CURRENT_TIMESTAMP + INTERVAL 10 YEAR DO DELETE FROM t;",
    ].join('\n');
    await conn.query(text);
    const live = await readLiveSchema(conn, database);
    const defaults = await readServerDefaults(conn, database);
    const probed = await probeObjects(conn, normalizeSchema(parseSchemaFiles([{ file: 'e.sql', text }]).schema, defaults), defaults);
    const byName = (list: SchemaObject[] | undefined) => [...(list ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
    assert.deepEqual(byName(probed.objects).map((o) => o.canonical), byName(live.objects).map((o) => o.canonical));
    assert.deepEqual(diffSchemas(live, probed), [], 'ENDS as an expression is no change; STARTS as a literal is the same literal');
    assert.deepEqual(live.objects!.find((o) => o.name === 'e_later')!.schedule?.starts, '2030-01-01 00:00:00');
    const moved = await probeObjects(conn, normalizeSchema(parseSchemaFiles([{ file: 'e.sql', text: text.replace('2030-01-01', '2031-01-01') }]).schema, defaults), defaults);
    assert.deepEqual(diffSchemas(live, moved).map((c) => c.statement.slice(0, 40)), ['DROP EVENT `e_later`', 'CREATE EVENT `e_later` ON SCHEDULE EVERY']);
    assert.match(live.objects!.find((o) => o.name === 'e_off')!.canonical!, / DISABLE COMMENT 'kept off' DO /);
    assert.match(live.objects!.find((o) => o.name === 'e_on')!.canonical!, / ENABLE COMMENT 'on' DO /);
  } finally {
    await conn.end();
    await drop();
  }
});

test('an account that cannot create the scratch database gets the grant to ask for, and nothing is changed', async () => {
  const { target, database, drop } = await freshDatabase('obj');
  const admin = await connect(target);
  const user = `sbp_${database.slice(-8)}`;
  try {
    await admin.query(`CREATE USER ${quoteString(user)}@'localhost'`);
    await admin.query(`GRANT SELECT ON ${quoteIdent(database)}.* TO ${quoteString(user)}@'localhost'`);
    const conn = await createConnection({ ...target, user, password: '' });
    try {
      const defaults = await readServerDefaults(conn, database);
      const schema = parseSchemaFiles([{ file: 'v.sql', text: 'CREATE VIEW v AS SELECT 1 AS one;' }]).schema;
      await assert.rejects(probeObjects(conn, schema, defaults), (err: unknown) => err instanceof ObjectRefusedError && /Grant this account CREATE, DROP, CREATE VIEW.* on `\\_sb\\_probe\\_%`\.\*/.test(err.message));
    } finally {
      await conn.end();
    }
  } finally {
    await admin.query(`DROP USER IF EXISTS ${quoteString(user)}@'localhost'`);
    await admin.end();
    await drop();
  }
});

test('a body the server refuses is reported with its file and line, and the scratch database is gone', async () => {
  const { target, database, drop } = await freshDatabase('obj');
  const conn = await connect(target, database);
  try {
    const defaults = await readServerDefaults(conn, database);
    const schema = parseSchemaFiles([{ file: 'schema/main/v.sql', text: 'CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT nope FROM t;' }]).schema;
    await assert.rejects(probeObjects(conn, schema, defaults), /^Error: The server refused view v \(schema\/main\/v\.sql:2\): Unknown column 'nope' in '[^']+'\. Fix its definition; nothing was changed\.$/);
    const [left] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\\_sb\\_probe\\_%'");
    assert.equal(Number((left as Array<{ n: number }>)[0].n), 0);
    const [current] = await conn.query('SELECT DATABASE() AS db');
    assert.equal((current as Array<{ db: string }>)[0].db, database, 'the connection is back in its database');
  } finally {
    await conn.end();
    await drop();
  }
});
