import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Connection } from 'mysql2/promise';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { tokenize } from '../../src/schema/lexer.js';
import { parseSchemaFile } from '../../src/schema/parse.js';
import { splitStatements } from '../../src/schema/split.js';
import { normalizeTable, stripSources } from '../../src/schema/normalize.js';
import { readServerDefaults } from '../../src/db/introspect.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { MARIADB_1011 } from '../../src/lint/reserved-words.js';

/**
 * The parser and the server must agree on what is the user's mistake. Statements of the
 * round-trip corpus are mutated (a token dropped, inserted or replaced, deterministic
 * seed) and sent to the server: whatever the server accepts must not be reported as a
 * syntax error by schemabranch.
 */
const corpus = readFileSync(join(__dirname, 'fixtures', 'roundtrip.sql'), 'utf8');
const statements = splitStatements(corpus).statements.map((s) => corpus.slice(s.start, s.end));
const WORDS = ['NOT', 'NULL', 'DEFAULT', 'KEY', 'UNIQUE', ',', '(', ')', 'INT', 'AS', 'CHECK', 'COMMENT', "'x'", '1', 'PRIMARY', 'AUTO_INCREMENT', 'UNSIGNED', 'CHARACTER SET', 'COLLATE', 'ON', 'UPDATE', 'VARCHAR(3)', 'zz'];

let db: Awaited<ReturnType<typeof freshDatabase>>;
let conn: Connection;

before(async () => {
  db = await freshDatabase('schema_agree');
  conn = await connect(db.target, db.database);
  await conn.query('SET FOREIGN_KEY_CHECKS=0');
});

after(async () => {
  await conn?.end();
  await db?.drop();
});

function mutations(seed: number, count: number): string[] {
  let state = seed;
  const rnd = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const base = statements[rnd(statements.length)];
    const tokens = tokenize(base).tokens;
    const t = tokens[rnd(tokens.length)];
    const word = WORDS[rnd(WORDS.length)];
    const op = rnd(3);
    out.push(op === 0 ? base.slice(0, t.start) + base.slice(t.end) : op === 1 ? `${base.slice(0, t.start)}${word} ${base.slice(t.start)}` : base.slice(0, t.start) + word + base.slice(t.end));
  }
  return out;
}

test('DDL the server accepts is never reported as a syntax error', async () => {
  const blamed: string[] = [];
  let accepted = 0;
  for (const sql of mutations(7, 400)) {
    const parsed = parseSchemaFile('m.sql', sql);
    const errors = parsed.problems.filter((p) => p.kind === 'syntax');
    const name = /CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:\/\*.*?\*\/\s*)?(`[^`]+`|\w+)/i.exec(sql)?.[1]?.replace(/`/g, '');
    if (name) await conn.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
    try {
      await conn.query(sql);
    } catch {
      continue;
    }
    accepted++;
    if (errors.length > 0) blamed.push(`${errors[0].message}\n  ${sql.replace(/\s+/g, ' ')}`);
  }
  assert.ok(accepted >= 8, `only ${accepted} mutations were valid; the test lost its teeth`);
  assert.deepEqual(blamed, []);
});

const KEYWORDS = new Set([...MARIADB_1011, ...'engine charset comment auto_increment text enum timestamp date datetime time year bit json point geometry fixed dynamic action no btree hash stored virtual persistent invisible ignored row_format serial bool boolean now uuid concat'.split(' ')]);

/** The same statement spelt differently: keyword case (names keep theirs), comments and line breaks between tokens. */
function respell(sql: string, variant: number): string {
  const { tokens } = tokenize(sql);
  let out = '';
  tokens.forEach((t, k) => {
    let text = sql.slice(t.start, t.end);
    if (t.kind === 'word' && KEYWORDS.has(text.toLowerCase())) text = variant === 0 ? text.toUpperCase() : variant === 1 ? text.toLowerCase() : text;
    // Adjacent tokens stay adjacent: `NOW ()` would call a stored function named NOW.
    const gap = k === 0 || t.start === tokens[k - 1].end ? '' : variant === 2 ? (k % 3 === 0 ? ' /* c */ ' : k % 3 === 1 ? '\n-- note\n' : '\n\t') : ' ';
    out += gap + text;
  });
  return out;
}

test('every corpus statement, respelt three ways, is accepted by the server and parses to the same model', async () => {
  // A database of its own: the mutations above leave tables (and foreign key names) behind.
  const own = await freshDatabase('schema_respell');
  const conn = await connect(own.target, own.database);
  try {
    await respelt(conn, await readServerDefaults(conn, own.database));
  } finally {
    await conn.end();
    await own.drop();
  }
});

async function respelt(conn: Connection, defaults: Awaited<ReturnType<typeof readServerDefaults>>): Promise<void> {
  // Parents must exist: InnoDB keeps the names of foreign keys to a missing parent after a DROP.
  for (const original of statements) await conn.query(original);
  await conn.query('SET FOREIGN_KEY_CHECKS=0');
  const failures: string[] = [];
  for (const original of statements) {
    const reference = parseSchemaFile('o.sql', original).tables[0];
    for (const variant of [0, 1, 2]) {
      const sql = respell(original, variant);
      const parsed = parseSchemaFile('v.sql', sql);
      if (parsed.problems.some((p) => p.severity === 'error')) failures.push(`variant ${variant}: ${parsed.problems[0].message}\n  ${sql}`);
      else if (reference) {
        const a = stripSources(normalizeTable(reference, defaults));
        const b = stripSources(normalizeTable(parsed.tables[0], defaults));
        try {
          assert.deepEqual(b, a);
        } catch {
          failures.push(`variant ${variant} of ${reference.name} reads differently`);
        }
      }
      await conn.query(`DROP TABLE IF EXISTS ${quoteIdent(reference.name)}`);
      await conn.query(sql);
    }
  }
  assert.deepEqual(failures, []);
}
