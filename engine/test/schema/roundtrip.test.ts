import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Connection } from 'mysql2/promise';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { readLiveSchema, readServerDefaults } from '../../src/db/introspect.js';
import type { Table } from '../../src/schema/model.js';
import { normalizeSchema, stripSources } from '../../src/schema/normalize.js';
import { parseSchemaFile } from '../../src/schema/parse.js';
import { splitStatements } from '../../src/schema/split.js';

const corpus = readFileSync(join(__dirname, 'fixtures', 'roundtrip.sql'), 'utf8');
const gaps = readFileSync(join(__dirname, 'fixtures', 'roundtrip-gaps.sql'), 'utf8');

let db: Awaited<ReturnType<typeof freshDatabase>>;
let conn: Connection;

before(async () => {
  db = await freshDatabase('schema_rt');
  conn = await connect(db.target, db.database);
  // Each statement on its own, so a failure names the table.
  for (const st of splitStatements(corpus).statements) {
    const sql = corpus.slice(st.start, st.end);
    try {
      await conn.query(sql);
    } catch (err) {
      throw new Error(`The server refused a corpus statement: ${(err as Error).message}\n${sql}`);
    }
  }
});

after(async () => {
  await conn?.end();
  await db?.drop();
});

test('the round-trip corpus parses without errors and has at least 25 tables', () => {
  const parsed = parseSchemaFile('roundtrip.sql', corpus);
  assert.deepEqual(parsed.problems.filter((p) => p.severity === 'error'), []);
  assert.ok(parsed.tables.length >= 25, `only ${parsed.tables.length} tables`);
});

test('every table read back from the server equals the normalized parse of its CREATE TABLE', async () => {
  const defaults = await readServerDefaults(conn, db.database);
  const live = await readLiveSchema(conn, db.database);
  const parsed = parseSchemaFile('roundtrip.sql', corpus);
  const files = stripSources(normalizeSchema({ tables: parsed.tables.map((t) => ({ ...t, nolint: [] })) }, defaults));
  const byName = new Map(live.tables.map((t) => [t.name, t]));
  assert.deepEqual(
    live.tables.map((t) => t.name),
    files.tables.map((t) => t.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    'the live schema lists the same tables, in name order',
  );
  // Every difference at once: one table's mismatch should not hide the next one's.
  const failures: string[] = [];
  for (const fileTable of files.tables) {
    const liveTable = byName.get(fileTable.name) as Table;
    try {
      assert.deepEqual(liveTable, fileTable);
    } catch (err) {
      failures.push(`table ${fileTable.name} differs between the server (actual) and the file (expected):\n${(err as Error).message}`);
    }
  }
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

test('readLiveSchema carries no source ranges and skips schemabranch internal tables', async () => {
  await conn.query('CREATE TABLE `_sb_changelog` (id INT PRIMARY KEY)');
  try {
    const live = await readLiveSchema(conn, db.database);
    assert.equal(live.tables.find((t) => t.name === '_sb_changelog'), undefined);
    for (const t of live.tables) {
      assert.equal(t.source, undefined);
      assert.equal(t.nameSource, undefined);
      assert.ok(t.columns.every((c) => c.source === undefined));
    }
  } finally {
    await conn.query('DROP TABLE `_sb_changelog`');
  }
});

test('readServerDefaults reports the flavor and the database defaults', async () => {
  await conn.query(`CREATE DATABASE \`${db.database}_l1\` CHARACTER SET latin1`);
  try {
    const d = await readServerDefaults(conn, `${db.database}_l1`);
    assert.equal(d.charset, 'latin1');
    assert.equal(d.collation, 'latin1_swedish_ci');
    assert.match(d.flavor, /^(mariadb|mysql)$/);
    assert.equal(d.engine, 'InnoDB');
  } finally {
    await conn.query(`DROP DATABASE \`${db.database}_l1\``);
  }
  await assert.rejects(readServerDefaults(conn, 'no_such_database_sb'), /does not exist/);
});

test('tables using parser gaps still read back equal to their normalized parse, with only unsupported warnings', async () => {
  const gapDb = await freshDatabase('schema_gap');
  const c = await connect(gapDb.target, gapDb.database);
  try {
    for (const st of splitStatements(gaps).statements) await c.query(gaps.slice(st.start, st.end));
    const parsed = parseSchemaFile('gaps.sql', gaps);
    assert.ok(parsed.problems.length > 0);
    assert.deepEqual(parsed.problems.filter((p) => p.kind !== 'unsupported' || p.severity !== 'warning'), []);
    const defaults = await readServerDefaults(c, gapDb.database);
    const files = stripSources(normalizeSchema({ tables: parsed.tables.map((t) => ({ ...t, nolint: [] })) }, defaults));
    const live = await readLiveSchema(c, gapDb.database);
    const sorted = [...files.tables].sort((a, b) => (a.name < b.name ? -1 : 1));
    assert.deepEqual(live.tables, sorted);
  } finally {
    await c.end();
    await gapDb.drop();
  }
});
