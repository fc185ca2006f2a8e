/**
 * The diff corpus: engine/test/diff/corpus/<NN-name>/{before,after,expected}.sql.
 * Each case is checked three ways against a real server:
 *  (a) statements: diff(parse(before), parse(after)) is exactly expected.sql;
 *  (b) applied:    a database holding `before`, after running those statements
 *                  with foreign_key_checks on, reads back as `after` (empty diff
 *                  both ways);
 *  (c) round trip: a database holding `after` reads back as `after`.
 * SCHEMABRANCH_UPDATE_CORPUS=1 rewrites expected.sql from the current output
 * (review the git diff before committing it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { diffSchemas } from '../../src/diff/index.js';
import { readLiveSchema, readServerDefaults, type Queryable } from '../../src/db/introspect.js';
import type { Schema } from '../../src/schema/model.js';
import { normalizeSchema, type ServerDefaults } from '../../src/schema/normalize.js';
import { parseSchemaFiles } from '../../src/schema/parse.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { connect, freshDatabase } from '../../../test/support/server.js';

const CORPUS = join(__dirname, 'corpus');
const UPDATE = process.env.SCHEMABRANCH_UPDATE_CORPUS === '1';

/**
 * Cases kept out of the asserted set, each with the reason (all of them
 * normalization or introspection gaps, reported to schema core). They still
 * run, as node:test TODOs, so a fix shows up as a pass.
 */
const KNOWN_GAPS: Record<string, string> = {};

interface CorpusCase {
  name: string;
  before: string;
  after: string;
  expected: string;
}

function loadCases(): CorpusCase[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || (a < b ? -1 : 1))
    .map((name) => {
      const read = (f: string): string => (existsSync(join(CORPUS, name, f)) ? readFileSync(join(CORPUS, name, f), 'utf8') : '');
      return { name, before: read('before.sql'), after: read('after.sql'), expected: read('expected.sql') };
    });
}

function parsed(file: string, text: string, defaults: ServerDefaults): Schema {
  const { schema, problems } = parseSchemaFiles([{ file, text }]);
  assert.deepEqual(problems.map((p) => `${p.code}: ${p.message}`), [], `${file} should parse cleanly`);
  return normalizeSchema(schema, defaults);
}

/** Loads schema text with FK checks off, as a branch load does, so file order does not matter. */
async function load(conn: Connection, sql: string): Promise<void> {
  if (!sql.trim()) return;
  await conn.query(`SET FOREIGN_KEY_CHECKS=0; ${sql.replace(/[;\s]+$/, '')}; SET FOREIGN_KEY_CHECKS=1`);
}

function script(schemaFrom: Schema, schemaTo: Schema): string {
  return diffSchemas(schemaFrom, schemaTo).map((c) => `${c.statement};\n`).join('');
}

const cases = loadCases();

test('the corpus has at least 60 cases, each with before, after and expected', () => {
  assert.ok(cases.length >= 60, `only ${cases.length} cases`);
  for (const c of cases) {
    assert.ok(c.before.trim() || c.after.trim(), `${c.name}: before.sql and after.sql are both empty`);
    if (!UPDATE) assert.ok(existsSync(join(CORPUS, c.name, 'expected.sql')), `${c.name}: expected.sql is missing`);
  }
});

test('diff corpus against the server', { concurrency: 4 }, async (t) => {
  let defaults: ServerDefaults | undefined;
  await Promise.all(
    cases.map((c) =>
      t.test(c.name, { todo: KNOWN_GAPS[c.name] }, async (ct) => {
        const todo = KNOWN_GAPS[c.name];
        const db = await freshDatabase('diff');
        const conn = await connect(db.target, db.database);
        // A fixed database default keeps expected.sql independent of the server's configured charset.
        await conn.query(`ALTER DATABASE ${quoteIdent(db.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
        // mysql2's overloaded query() does not match Queryable's single signature.
        const q = conn as unknown as Queryable;
        try {
          defaults ??= await readServerDefaults(q, db.database);
          const from = parsed('before.sql', c.before, defaults);
          const to = parsed('after.sql', c.after, defaults);
          const actual = script(from, to);
          if (UPDATE) writeFileSync(join(CORPUS, c.name, 'expected.sql'), actual);

          await ct.test('a: statements equal expected.sql', { todo }, () => {
            assert.equal(actual, c.expected);
          });
          await ct.test('b: applying them to before yields after', { todo }, async () => {
            await load(conn, c.before);
            for (const change of diffSchemas(from, to)) await conn.query(change.statement);
            const live = await readLiveSchema(q, db.database);
            assert.equal(script(live, to), '', 'live -> after');
            assert.equal(script(to, live), '', 'after -> live');
          });
          await ct.test('c: after reads back as after', { todo }, async () => {
            const [rows] = await conn.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?', [db.database]);
            const names = (rows as Array<{ name: string }>).map((r) => quoteIdent(r.name));
            if (names.length) await conn.query(`SET FOREIGN_KEY_CHECKS=0; DROP TABLE ${names.join(', ')}; SET FOREIGN_KEY_CHECKS=1`);
            await load(conn, c.after);
            const live = await readLiveSchema(q, db.database);
            assert.equal(script(live, to), '', 'live -> after');
            assert.equal(script(to, live), '', 'after -> live');
          });
        } finally {
          await conn.end();
          await db.drop();
        }
      }),
    ),
  );
});
