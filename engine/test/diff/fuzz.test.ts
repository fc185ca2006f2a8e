/**
 * Seeded random schema pairs: several tables with random columns (types,
 * defaults, charsets, generated), indexes, foreign keys, checks and options
 * change at once. For each pair, the diff statements applied to a database
 * holding `before` must leave exactly `after` (an empty diff both ways).
 * SCHEMABRANCH_DIFF_FUZZ=<n> runs n pairs (default 25); the seed of a failure
 * is in its test name, so it can be replayed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSchemas } from '../../src/diff/index.js';
import { readLiveSchema, readServerDefaults, type Queryable } from '../../src/db/introspect.js';
import type { Schema } from '../../src/schema/model.js';
import { normalizeSchema, type ServerDefaults } from '../../src/schema/normalize.js';
import { parseSchemaFiles } from '../../src/schema/parse.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { seededRandom } from '../../../test/support/random.js';

const rng = seededRandom;

const COLUMN_VARIANTS: Record<string, string[]> = {
  a: ['int', 'bigint', 'int unsigned', 'int NOT NULL DEFAULT 0', 'smallint'],
  b: ['varchar(20)', 'varchar(40)', "varchar(40) NOT NULL DEFAULT ''", 'char(10)', 'varchar(20) CHARACTER SET utf8mb3', 'varchar(20) COLLATE utf8mb4_bin'],
  c: ['decimal(10,2)', 'decimal(12,4)', 'double', "decimal(10,2) NOT NULL DEFAULT 1.50 COMMENT 'price'"],
  d: ['datetime', 'datetime(3)', 'timestamp NULL', 'date', 'datetime NOT NULL DEFAULT CURRENT_TIMESTAMP'],
  e: ["enum('x','y')", "enum('x','y','z')", "set('x','y')", "enum('y','x') NOT NULL DEFAULT 'y'"],
  g: ['int AS (id * 2) VIRTUAL', 'int AS (id * 2) STORED', 'int AS (id + 1) VIRTUAL'],
  t: ['text', 'mediumtext', 'json', 'blob'],
  h: ['int CHECK (h > 0)', 'int INVISIBLE', 'int CHECK (h > 1)', 'int'],
};
const INDEXABLE = ['a', 'b', 'c', 'd'];
const TABLES = ['t1', 't2', 't3'];

function pick<T>(r: () => number, list: T[]): T {
  return list[Math.floor(r() * list.length)];
}

function randomTable(r: () => number, name: string, tables: string[], idType: string): string {
  const lines = [`id ${idType} NOT NULL`];
  const names = Object.keys(COLUMN_VARIANTS).filter(() => r() < 0.6);
  if (r() < 0.3) names.reverse();
  for (const n of names) lines.push(`${n} ${pick(r, COLUMN_VARIANTS[n])}`);
  const parents = tables.filter((t) => t !== name && r() < 0.35);
  for (const p of parents) lines.push(`ref_${p} ${idType}`);
  lines.push('PRIMARY KEY (id)');
  const indexed = INDEXABLE.filter((c) => names.includes(c) && r() < 0.4);
  for (const c of indexed) {
    const kind = r() < 0.3 ? 'UNIQUE KEY' : 'KEY';
    const part = c === 'b' && r() < 0.3 ? 'b(5)' : r() < 0.2 ? `${c} DESC` : c;
    lines.push(`${kind} ${r() < 0.5 ? `k_${c}` : `idx_${c}`} (${part}${r() < 0.3 ? ', id' : ''})${kind === 'KEY' && r() < 0.2 ? ' IGNORED' : ''}`);
  }
  for (const p of parents) lines.push(`CONSTRAINT fk_${name}_${p} FOREIGN KEY (ref_${p}) REFERENCES ${p} (id)${r() < 0.3 ? ' ON DELETE CASCADE' : ''}`);
  if (names.includes('a') && r() < 0.3) lines.push(`CONSTRAINT chk_${name}_a CHECK (a ${r() < 0.5 ? '>=' : '<>'} 0)`);
  let options = r() < 0.3 ? ` COMMENT='${pick(r, ['v1', 'v2'])}'` : '';
  if (r() < 0.15) options += ' DEFAULT CHARSET=utf8mb3';
  return `CREATE TABLE ${name} (\n  ${lines.join(',\n  ')}\n)${options};`;
}

function randomSchema(r: () => number): string {
  const tables = TABLES.filter(() => r() < 0.8);
  const idType = r() < 0.8 ? 'int' : 'bigint';
  return tables.map((t) => randomTable(r, t, tables, idType)).join('\n');
}

function parsed(text: string, defaults: ServerDefaults): Schema {
  const { schema, problems } = parseSchemaFiles([{ file: 'fuzz.sql', text }]);
  assert.deepEqual(problems.filter((p) => p.severity === 'error').map((p) => p.message), []);
  return normalizeSchema(schema, defaults);
}

const script = (a: Schema, b: Schema): string => diffSchemas(a, b).map((c) => `${c.statement};\n`).join('');

test('random schema pairs: applying the diff yields the target', { concurrency: 2 }, async (t) => {
  const count = Number(process.env.SCHEMABRANCH_DIFF_FUZZ ?? 25);
  const base = Number(process.env.SCHEMABRANCH_DIFF_FUZZ_SEED ?? 1);
  const seeds = Array.from({ length: count }, (_, i) => base + i);
  await Promise.all(
    seeds.map((seed) =>
      t.test(`seed ${seed}`, async () => {
        const r = rng(seed);
        const before = randomSchema(r);
        const after = randomSchema(r);
        const db = await freshDatabase('fuzz');
        const conn = await connect(db.target, db.database);
        const q = conn as unknown as Queryable;
        try {
          await conn.query(`ALTER DATABASE ${quoteIdent(db.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
          const defaults = await readServerDefaults(q, db.database);
          const from = parsed(before, defaults);
          const to = parsed(after, defaults);
          if (before.trim()) await conn.query(`SET FOREIGN_KEY_CHECKS=0; ${before} SET FOREIGN_KEY_CHECKS=1`);
          const changes = diffSchemas(from, to);
          for (const change of changes) {
            try {
              await conn.query(change.statement);
            } catch (err) {
              assert.fail(`${change.statement}\nfailed: ${err instanceof Error ? err.message : String(err)}\n--- before\n${before}\n--- after\n${after}`);
            }
          }
          const live = await readLiveSchema(q, db.database);
          assert.equal(script(live, to), '', `live -> after\n--- before\n${before}\n--- after\n${after}`);
          assert.equal(script(to, live), '', 'after -> live');
        } finally {
          await conn.end();
          await db.drop();
        }
      }),
    ),
  );
});
