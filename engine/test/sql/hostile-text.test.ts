/**
 * Property test: hostile strings in every text field of the model (names, comments, defaults, enum values,
 * string literals in CHECK and generated-column expressions, a string table option) reach the real server as
 * exactly one statement per query and read back as written. Seeded, so a failure names a
 * seed that reproduces it (SQLTEXT_SEED=<n> npm test -- engine/test/sql).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { openConnection } from '../../src/db/connection.js';
import { openStorePool } from '../../src/deploy/store.js';
import { readLiveSchema, readServerDefaults } from '../../src/db/introspect.js';
import { diffSchemas } from '../../src/diff/diff.js';
import type { Schema, Table } from '../../src/schema/model.js';
import { normalizeSchema } from '../../src/schema/normalize.js';
import { parseSchemaFile } from '../../src/schema/parse.js';
import { renderCreateTable } from '../../src/sql/ddl.js';
import { BACKSLASH_ESCAPES_ON, quoteIdent, quoteString } from '../../src/sql/quote.js';
import { knownWord } from '../../src/sql/words.js';
import { freshDatabase } from '../../../test/support/server.js';
import { seededRandom } from '../../../test/support/random.js';

const SEED = Number(process.env.SQLTEXT_SEED ?? 20261130);
const TABLES = 12;
const PARENT = 'parent';

const PIECES = ["'", "''", '"', '`', '``', ';', '--', '-- ', '/*', '*/', '/*!50000', '#', '\n', '\r\n', '\t', '\0', '\\', "\\'", '\\0', '%', '_', ' ',
  'é', '中文', '\u2028', '\u00a0', 'DROP DATABASE canary', ')', '(', ',', '=', 'x', 'Y', '0', '$'];
const ASTRAL = ['\u{1F600}', '\u{10348}'];

function hostile(rand: () => number, opts: { astral: boolean; max: number }): string {
  let s = '';
  const n = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) {
    const pool = opts.astral && rand() < 0.1 ? ASTRAL : PIECES;
    s += pool[Math.floor(rand() * pool.length)];
  }
  return s.slice(0, opts.max);
}

/** A name the server can store (no NUL, no trailing space, no character beyond U+FFFF), unique by its prefix. */
function hostileName(rand: () => number, prefix: string, max: number): string {
  return (prefix + hostile(rand, { astral: false, max }).replace(/\0/g, '')).slice(0, max).replace(/\s+$/, '') || prefix;
}

interface Texts {
  table: string;
  columns: [string, string, string, string, string];
  index: string;
  check: string;
  foreignKey: string;
  comments: { table: string; column: string; index: string };
  default: string;
  checkLiteral: string;
  generatedLiteral: string;
  connection: string;
  enumValues: string[];
}

function randomTexts(rand: () => number, k: number): Texts {
  // Enum values: the server strips trailing spaces and refuses duplicates, so they are unique and trimmed.
  // Characters beyond U+FFFF in enum values, defaults and comments, and NUL in table and index comments, are
  // refused by the parser on MariaDB, which cannot store them (sql-text.test.ts).
  const enumValues = [...new Set(Array.from({ length: 3 }, (_, i) => `${i}${hostile(rand, { astral: false, max: 40 })}`.replace(/ +$/, '')))];
  return {
    table: hostileName(rand, `t${k}`, 20),
    columns: [hostileName(rand, 'a', 64), hostileName(rand, 'b', 64), hostileName(rand, 'c', 64), hostileName(rand, 'd', 64), hostileName(rand, 'g', 64)],
    index: hostileName(rand, 'k', 64),
    check: hostileName(rand, 'h', 64),
    foreignKey: hostileName(rand, `f${k}`, 64),
    comments: { table: hostile(rand, { astral: false, max: 60 }).replace(/\0/g, ''), column: hostile(rand, { astral: false, max: 60 }), index: hostile(rand, { astral: false, max: 60 }).replace(/\0/g, '') },
    default: hostile(rand, { astral: false, max: 60 }),
    checkLiteral: hostile(rand, { astral: true, max: 60 }),
    generatedLiteral: hostile(rand, { astral: true, max: 60 }),
    connection: hostile(rand, { astral: false, max: 60 }),
    enumValues,
  };
}

/** The table as a schema file would have it: text rendered from a model, then parsed back. */
function tableFile(x: Texts, table = x.table): string {
  const [id, text, choice, parent, generated] = x.columns;
  const model: Table = {
    name: table,
    columns: [
      { name: id, type: { base: 'int' }, nullable: false, autoIncrement: false },
      { name: text, type: { base: 'varchar', length: 200 }, nullable: true, autoIncrement: false, default: quoteString(x.default), comment: x.comments.column },
      { name: choice, type: { base: 'enum', values: x.enumValues }, nullable: true, autoIncrement: false },
      { name: parent, type: { base: 'int' }, nullable: true, autoIncrement: false },
      { name: generated, type: { base: 'varchar', length: 300 }, nullable: true, autoIncrement: false, generated: { expression: generatedExpression(x), stored: false } },
    ],
    indexes: [
      { name: 'PRIMARY', kind: 'primary', parts: [{ column: id }] },
      { name: x.index, kind: 'index', parts: [{ column: text }], comment: x.comments.index },
    ],
    // A plain parent table keeps the foreign key apart from the hostile table name (see the second round below).
    foreignKeys: [{ name: x.foreignKey, columns: [parent], refTable: PARENT, refColumns: ['id'] }],
    checks: [{ name: x.check, expression: `${quoteIdent(text)} <> ${quoteString(x.checkLiteral)}` }],
    options: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_bin', comment: x.comments.table, other: { CONNECTION: quoteString(x.connection) } },
    nolint: [],
  };
  return renderCreateTable(model) + ';\n';
}

function generatedExpression(x: Texts): string {
  return `concat(${quoteIdent(x.columns[1])},${quoteString(x.generatedLiteral)})`;
}

async function questions(conn: Connection): Promise<number> {
  const [rows] = await conn.query<RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Questions'");
  return Number(rows[0].Value);
}

/** Runs `sql` and proves the server executed exactly that one statement (the counter read counts itself too). */
async function sendOne(conn: Connection, sql: string): Promise<void> {
  const before = await questions(conn);
  await conn.query(sql).catch((err: Error) => assert.fail(`${err.message}\nwhile running:\n${sql}`));
  assert.equal((await questions(conn)) - before, 2, `the server ran more than one statement for:\n${sql}`);
}

function assertReadBack(live: Table | undefined, x: Texts, seed: number): void {
  const where = `seed ${seed}, table ${JSON.stringify(x.table)}`;
  assert.ok(live, `${where}: table not found`);
  assert.deepEqual(live.columns.map((c) => c.name), x.columns, where);
  assert.equal(live.columns[1].default, quoteString(x.default), where);
  assert.equal(live.columns[1].comment, x.comments.column, where);
  assert.deepEqual(live.columns[2].type.values, x.enumValues, where);
  assert.equal(live.options.comment, x.comments.table, where);
  assert.equal(live.options.other?.CONNECTION, quoteString(x.connection), where);
  assert.equal(live.columns[4].generated?.expression, generatedExpression(x), where);
  // InnoDB adds a key named after the foreign key for its column; the hostile key is the one to compare.
  assert.deepEqual(live.indexes.filter((i) => i.name === x.index).map((i) => i.comment), [x.comments.index], where);
  assert.deepEqual(live.foreignKeys.map((f) => f.name), [x.foreignKey], where);
  assert.deepEqual(live.checks.map((c) => [c.name, c.expression]), [[x.check, `${quoteIdent(x.columns[1])} <> ${quoteString(x.checkLiteral)}`]], where);
}

test('hostile text in every field: one statement per query, and SHOW CREATE TABLE reads back what was written', async () => {
  const { target, database, drop } = await freshDatabase('sqltext');
  const conn = await openConnection(target, database);
  try {
    await assert.rejects(conn.query('SELECT 1; SELECT 2'), /SQL syntax/, 'engine connections refuse a second statement');
    const defaults = await readServerDefaults(conn, database);
    const rand = seededRandom(SEED);
    const rounds = [Array.from({ length: TABLES }, (_, k) => randomTexts(rand, k))];
    // Second round: same tables, columns and foreign keys; new comments, defaults, enum values, key and check names (ALTER TABLE).
    // Foreign keys keep their names: InnoDB fails to rename one in a table named with a backslash or backtick
    // (errno 150 "Foreign key constraint is incorrectly formed"), a server bug unrelated to SQL text.
    rounds.push(rounds[0].map((x, k) => ({ ...randomTexts(rand, k), table: x.table, columns: x.columns, foreignKey: x.foreignKey })));
    for (const texts of rounds) {
      const files = [...texts.map((x) => parseSchemaFile(`${x.table}.sql`, tableFile(x))), parseSchemaFile('parent.sql', `CREATE TABLE ${PARENT} (id int NOT NULL PRIMARY KEY);`)];
      for (const f of files) assert.deepEqual(f.problems.filter((p) => p.severity === 'error'), [], `seed ${SEED}`);
      const wanted: Schema = normalizeSchema({ tables: files.map((f) => f.tables[0]) }, defaults);
      const changes = diffSchemas(await readLiveSchema(conn, database), wanted, { flavor: defaults.flavor });
      assert.ok(changes.length >= texts.length, `seed ${SEED}: every table changes`);
      for (const c of changes) await sendOne(conn, c.statement);
      const live = await readLiveSchema(conn, database);
      for (const x of texts) assertReadBack(live.tables.find((t) => t.name === x.table), x, SEED);
      assert.deepEqual(diffSchemas(live, wanted, { flavor: defaults.flavor }).map((c) => c.statement), [], `seed ${SEED}: nothing left to change`);
    }
  } finally {
    await conn.end();
    await drop();
  }
});

test('hostile text in closed-list fields: the parser refuses it with an error at the value, naming it', () => {
  const rand = seededRandom(SEED + 1);
  const fields: Array<[string, 'engine' | 'charset' | 'collation' | 'row format', (v: string) => string]> = [
    ['ENGINE=', 'engine', (v) => `CREATE TABLE t (id int) ENGINE=${v};`],
    ['DEFAULT CHARSET=', 'charset', (v) => `CREATE TABLE t (id int) DEFAULT CHARSET=${v};`],
    ['COLLATE=', 'collation', (v) => `CREATE TABLE t (id int) COLLATE=${v};`],
    ['ROW_FORMAT=', 'row format', (v) => `CREATE TABLE t (id int) ROW_FORMAT=${v};`],
    ['CHARACTER SET', 'charset', (v) => `CREATE TABLE t (id varchar(2) CHARACTER SET ${v});`],
    ['COLLATE', 'collation', (v) => `CREATE TABLE t (id varchar(2) COLLATE ${v});`],
  ];
  let refused = 0;
  for (let n = 0; n < 200; n++) {
    const value = hostile(rand, { astral: true, max: 40 });
    const [, kind, source] = fields[n % fields.length];
    if (knownWord(kind, value) !== undefined) continue;
    const written = n % 2 === 0 ? quoteString(value) : '`' + value.replace(/`/g, '``') + '`';
    const src = source(written);
    const errors = parseSchemaFile('t.sql', src).problems.filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1, `${JSON.stringify(src)}: ${JSON.stringify(errors.map((e) => e.message))}`);
    assert.equal(src.slice(errors[0].range.start.offset, errors[0].range.end.offset), written, src);
    assert.ok(errors[0].message.includes(JSON.stringify(value)), errors[0].message);
    refused++;
  }
  assert.ok(refused > 150, `only ${refused} values were tried`);
});

test('NO_BACKSLASH_ESCAPES: engine sessions switch it off, and a quoteString literal ends at the same quote either way', async () => {
  const { target, database, drop } = await freshDatabase('sqltext');
  const conn = await openConnection(target, database);
  const pool = openStorePool(target);
  try {
    // Each new session has already run BACKSLASH_ESCAPES_ON: it is the one statement before the counter's own.
    assert.equal(await questions(conn), 2, 'openConnection switches the mode off first');
    const pooled = await pool.getConnection();
    assert.equal(await questions(pooled as unknown as Connection), 2, 'the deploy store pool switches the mode off first');
    pooled.release();
    // The server lists modes in its own order.
    const mode = async (): Promise<string> => String((await conn.query<RowDataPacket[]>('SELECT @@SESSION.sql_mode AS m'))[0][0].m).split(',').sort().join(',');
    for (const [set, left] of [
      ['NO_BACKSLASH_ESCAPES', ''],
      ['NO_BACKSLASH_ESCAPES,STRICT_ALL_TABLES', 'STRICT_ALL_TABLES'],
      ['STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES,ANSI_QUOTES', 'ANSI_QUOTES,STRICT_ALL_TABLES'],
      ['STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES', 'STRICT_ALL_TABLES'],
    ]) {
      await conn.query('SET SESSION sql_mode = ?', [set]);
      await conn.query(BACKSLASH_ESCAPES_ON);
      assert.equal(await mode(), left, set);
    }
    const rand = seededRandom(SEED + 2);
    for (let n = 0; n < 100; n++) {
      const value = hostile(rand, { astral: true, max: 60 });
      const literal = quoteString(value);
      await conn.query("SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'");
      const [asText] = await conn.query<RowDataPacket[]>(`SELECT ${literal} AS v`);
      // Backslashes stay as written (so the value differs), but the literal is still one literal.
      assert.equal(asText[0].v, literal.slice(1, -1).replace(/''/g, "'"), literal);
      await conn.query(BACKSLASH_ESCAPES_ON);
      await sendOne(conn, `SELECT ${literal} AS v`);
      const [escaped] = await conn.query<RowDataPacket[]>(`SELECT ${literal} AS v`);
      assert.equal(escaped[0].v, value, literal);
    }
  } finally {
    await conn.end();
    await pool.end();
    await drop();
  }
});
