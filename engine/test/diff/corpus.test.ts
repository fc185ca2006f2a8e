/**
 * The diff corpus: engine/test/diff/corpus/<NN-name>/{before,after,expected}.sql.
 * Each case is checked three ways against a real server:
 *  (a) statements: diff(parse(before), parse(after)) is exactly expected.sql;
 *  (b) applied:    a database holding `before`, after running those statements
 *                  with foreign_key_checks on, reads back as `after` (empty diff
 *                  both ways);
 *  (c) round trip: a database holding `after` reads back as `after`.
 * plus the classification: the reason codes of the changes (EXPECTED_REASONS).
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
import { probeObjects } from '../../src/db/object-probe.js';
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

/**
 * The reason codes each case's changes carry, in statement order (see the table
 * in src/diff/classify.ts). Cases not listed carry none: they are safe.
 */
const EXPECTED_REASONS: Record<string, string[]> = {
  '03-add-column-not-null-no-default': ['not-null-without-default'],
  '07-drop-column': ['drop-column'],
  '09-int-narrow': ['narrowed-type'],
  '11-signed-to-unsigned': ['signedness-changed'],
  '13-varchar-shorten': ['narrowed-length'],
  '16-decimal-narrow': ['narrowed-precision'],
  '17-float-double': ['narrowed-type'],
  '18-binary-types': ['narrowed-length'],
  '19-text-blob-family': ['narrowed-type'],
  '22-datetime-precision-narrow': ['narrowed-precision'],
  '23-datetime-to-timestamp': ['changed-type'],
  '25-enum-remove': ['enum-member-removed'],
  '26-enum-reorder': ['enum-member-reordered'],
  '27-set-add-member': ['null-to-not-null'],
  '34-null-to-not-null': ['null-to-not-null'],
  '37-column-collation': ['changed-collation'],
  '41-on-update': ['null-to-not-null'],
  '42-auto-increment-add': ['add-auto-increment'],
  '45-column-move-and-change': ['null-to-not-null'],
  '50-drop-index': ['drop-index'],
  '51-add-unique-index': ['add-unique-index'],
  '55-index-to-unique': ['add-unique-index'],
  '61-add-column-with-index': ['add-unique-index'],
  '62-fk-add': ['add-foreign-key'],
  '63-fk-add-implicit-index': ['add-foreign-key'],
  '64-fk-drop': ['drop-foreign-key'],
  '67-fk-new-referenced-table': ['add-foreign-key'],
  '69-fk-drop-parent-table': ['drop-foreign-key', 'drop-index', 'drop-table'],
  '70-fk-drop-referenced-column': ['drop-foreign-key', 'drop-index', 'drop-column'],
  '72-fk-cycle-drop': ['drop-foreign-key', 'drop-table', 'drop-table'],
  '74-fk-to-new-column': ['not-null-without-default', 'add-unique-index', 'drop-column'],
  '75-fk-swap-dependency-cycle': ['drop-foreign-key', 'drop-index', 'drop-column', 'possible-rename', 'not-null-without-default', 'add-unique-index', 'add-foreign-key'],
  '76-check-add': ['add-check'],
  '77-check-drop': ['drop-check'],
  '78-check-change': ['add-check'],
  '81-table-engine': ['changed-engine'],
  '82-table-charset': ['changed-collation'],
  '85-drop-table': ['drop-table'],
  '86-table-rename-looking': ['drop-table', 'possible-rename'],
  '87-possible-rename-column': ['drop-column', 'possible-rename', 'not-null-without-default'],
  '88-possible-rename-with-other-changes': ['drop-column', 'possible-rename'],
  '91-multi-table-mixed': ['drop-table', 'possible-rename'],
  '92-many-changes-one-table': ['drop-index', 'drop-column', 'null-to-not-null', 'add-unique-index', 'add-check'],
  '94-fk-index-replaced': ['drop-index'],
  '95-drop-column-in-index': ['drop-column'],
  '96-column-check-inline-change': ['add-check'],
  '102-index-rename-looking': ['drop-index'],
  '103-drop-column-with-check': ['drop-check', 'drop-column'],
  '106-fk-composite': ['add-foreign-key'],
  '107-drop-table-with-fk-to-kept': ['drop-table'],
  '112-drop-primary-key': ['drop-index'],
  '113-add-primary-key': ['add-unique-index'],
  '115-replace-table-and-repoint-fk': ['drop-table', 'add-foreign-key'],
  '119-trigger-changed': ['redefine-trigger'],
  '120-routines-added-and-changed': ['redefine-object'],
  '121-event-added-and-view-dropped': ['drop-object'],
  '122-table-with-trigger-dropped': ['drop-object', 'drop-table'],
};

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
  // Warnings (e.g. PARTITION BY kept as written) are the parser's to report; errors would hide tables.
  const errors = problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors.map((p) => `${p.code}: ${p.message}`), [], `${file} should parse without errors`);
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
  for (const name of [...Object.keys(EXPECTED_REASONS), ...Object.keys(KNOWN_GAPS)]) assert.ok(cases.some((c) => c.name === name), `${name} is not a corpus case`);
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
          await ct.test('reasons: classification codes', { todo }, () => {
            const codes = diffSchemas(from, to).flatMap((change) => change.reasons.map((r) => r.code));
            assert.deepEqual(codes, EXPECTED_REASONS[c.name] ?? []);
          });
          // Views, triggers, routines and events compare by what the server prints: `after` is probed for that.
          const probedTo = await probeObjects(q, to, defaults);
          await ct.test('b: applying them to before yields after', { todo }, async () => {
            await load(conn, c.before);
            for (const change of diffSchemas(from, to)) await conn.query(change.statement);
            const live = await readLiveSchema(q, db.database);
            assert.equal(script(live, probedTo), '', 'live -> after');
            assert.equal(script(probedTo, live), '', 'after -> live');
          });
          await ct.test('c: after reads back as after', { todo }, async () => {
            // A new database: dropping tables alone would leave views, routines and events behind.
            await conn.query(`DROP DATABASE ${quoteIdent(db.database)}; CREATE DATABASE ${quoteIdent(db.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; USE ${quoteIdent(db.database)}`);
            await load(conn, c.after);
            const live = await readLiveSchema(q, db.database);
            assert.equal(script(live, probedTo), '', 'live -> after');
            assert.equal(script(probedTo, live), '', 'after -> live');
          });
        } finally {
          await conn.end();
          await db.drop();
        }
      }),
    ),
  );
});
