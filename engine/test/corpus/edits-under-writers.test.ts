/**
 * Issue 10 on the real-world corpus: for each schema, five realistic edits to
 * one of its tables (a nullable column, a NOT NULL column with a default, a
 * wider varchar, a changed default, a new index) made in a branch's file, pushed,
 * and deployed as a deploy request while two writers insert, update and delete
 * in that table. Every acknowledged write is in the table after the deploy and
 * after the revert, the branch and main diff empty after the deploy, and the
 * revert leaves main diffing empty against its files from before.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { followDeploysInMainFiles } from '../../src/branch/main-files.js';
import { tableFileName } from '../../src/branch/names.js';
import { withConnection } from '../../src/db/connection.js';
import { deployRequestsFor } from '../../src/deploy/workspace.js';
import { onlineProblems } from '../../src/migration/preflight.js';
import type { Table } from '../../src/schema/model.js';
import { parseSchemaFile } from '../../src/schema/parse.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { testWorkspace, type TestWorkspace } from '../branch/workspace.js';
import { corpusEntries, createTableStatements, loadWithClient, readCorpusFile } from './corpus.js';
import { planFiveEdits, type FiveEdits, type KeyShape } from './five-edits.js';
import { TableWriters } from './table-writers.js';

/** Sized for a 2-core machine: a few thousand rows and two writers keep each schema to a few seconds. */
const ROWS = 3000;
const WRITERS = 2;

const VARIANTS: Array<{ shapes: KeyShape[]; words: string }> = [
  { shapes: ['integer'], words: 'a table keyed by one integer' },
  { shapes: ['other'], words: 'a table keyed otherwise (a string, several columns)' },
  { shapes: ['integer', 'other'], words: 'both tables in one deploy request' },
];

/**
 * Whether the schema has a table the 'other' variants can take, read from its files
 * alone (the key's shape, no outgoing foreign keys): a schema without one gets no such
 * test, rather than a skipped one. Whether the server's pre-flight takes it is the test's.
 */
function hasOtherKeyedTable(text: string): boolean {
  return createTableStatements(text).some((s) => {
    const parsed = parseSchemaFile('t.sql', s.text);
    return parsed.tables.some((tb) => planFiveEdits(tb, () => s.text, 'other') !== undefined);
  });
}

for (const entry of corpusEntries()) for (const { shapes, words } of VARIANTS.filter((v) => !v.shapes.includes('other') || hasOtherKeyedTable(readCorpusFile(entry)))) {
  test(`corpus ${entry.name} (${entry.application}): five edits to ${words} deploy under ${WRITERS} writers with zero loss, and revert`, async () => {
    const text = readCorpusFile(entry);
    const statements = createTableStatements(text);
    const files: Record<string, string> = {};
    for (const s of statements) files[`schema/main/${tableFileName(s.table)}`] = `${s.text};\n`;
    const ws = await testWorkspace(files, 'cedit');
    try {
      await withConnection(ws.target, undefined, (conn) => conn.query(`CREATE DATABASE ${quoteIdent(ws.config.database)}`));
      await loadWithClient(ws.target, ws.config.database, statements.map((s) => s.text));
      const integer = await chooseTable(ws, 'integer');
      assert.ok(integer, `${entry.name} has a table keyed by one integer that takes the five edits online`);
      const other = shapes.includes('other') ? await chooseTable(ws, 'other') : undefined;
      assert.ok(!shapes.includes('other') || other, `${entry.name}'s tables keyed by a string or several columns are all refused online by the pre-flight`);
      const plans = shapes.map((sh) => (sh === 'integer' ? integer : other!));
      const r = await fiveEditsUnderWriters(ws, plans);
      const tables = plans.map((p, i) => {
        const w = r.tables[i]!;
        return (
          `table ${p.table} keyed by (${p.shape.key.map((c) => `${c.name} ${c.type.base}`).join(', ')}) (${p.edits.join('; ')}), ${w.writers} writer${w.writers > 1 ? 's' : ''}: ` +
          `${w.atDeploy.compared} rows compared after the deploy (missing ${w.atDeploy.missing.length}, extra ${w.atDeploy.extra.length}, different ${w.atDeploy.different.length}), ` +
          `${w.atRevert.compared} after the revert (missing ${w.atRevert.missing.length}, extra ${w.atRevert.extra.length}, different ${w.atRevert.different.length}), ` +
          `writes acknowledged ${w.acknowledged} (${w.vanished} found no row), not acknowledged ${w.failed}${w.errors.length ? ` (${w.errors.join(' | ')})` : ''}`
        );
      });
      console.log(
        `[corpus five edits] ${entry.name}: ${tables.join('; ')}; ${ROWS} rows seeded per table; ` +
          `deploy ${r.state}: ${r.duringDeploy} writes acknowledged during it, cut-over stall ${r.cutOverStallMs} ms, longest write ${r.deployLongestMs} ms, ${r.afterDeploy.length} diff statements after; ` +
          `revert ${r.revertState}: stall ${r.revertStallMs} ms, longest write ${r.revertLongestMs} ms, ${r.afterRevert.length} diff statements after`,
      );
      assert.deepEqual(r.planned.map((c) => c.table).sort(), plans.map((p) => p.table).sort(), `the five edits are one ALTER per table: ${r.planned.map((c) => c.statement).join('\n')}`);
      for (const p of plans) {
        const alter = r.planned.find((c) => c.table === p.table)!.statement;
        for (const m of p.mentions) assert.ok(alter.includes(m), `the ALTER of ${p.table} names ${m}: ${alter}`);
      }
      assert.equal(r.state, 'complete_pending_revert');
      assert.ok(r.duringDeploy > 0, 'the writers wrote while the deploy ran');
      for (const [i, w] of r.tables.entries()) {
        const table = plans[i]!.table;
        assert.deepEqual(w.atDeploy, { ...w.atDeploy, missing: [], extra: [], different: [] }, `after the deploy ${table} holds exactly the acknowledged writes`);
        assert.deepEqual(w.atRevert, { ...w.atRevert, missing: [], extra: [], different: [] }, `after the revert ${table} holds exactly the acknowledged writes`);
        assert.equal(w.vanished, 0, `no update or delete in ${table} found its row gone while the writers wrote`);
      }
      assert.deepEqual(r.afterDeploy, [], 'after the deploy, main and the branch diff empty');
      assert.deepEqual(r.mainFilesChanged, plans.map((p) => `schema/main/${tableFileName(p.table)}`).sort(), "main's files change only where the deploy did");
      assert.equal(r.revertState, 'complete_revert');
      assert.deepEqual(r.afterRevert, [], 'after the revert, main diffs empty against its files from before');
      assert.deepEqual(r.mainFilesAfterRevert, r.mainFilesBefore, "a revert puts main's files back as they were");
    } finally {
      await ws.cleanup();
    }
  });
}

/** The table keyed as `shape` with the most columns that takes the five edits and that an online migration accepts. */
async function chooseTable(ws: TestWorkspace, shape: KeyShape): Promise<FiveEdits | undefined> {
  const main = ws.branches.load('main');
  const text = (tb: Table): string => readFileSync(join(ws.root, tb.source!.file), 'utf8');
  const plans = main.schema.tables
    .filter((tb) => tb.source)
    .map((tb) => planFiveEdits(tb, text, shape))
    .filter((p): p is FiveEdits => p !== undefined)
    .sort((a, b) => b.columns - a.columns);
  return withConnection(ws.target, undefined, async (conn) => {
    for (const p of plans) {
      const change = { table: p.table, kind: 'alter_table' as const, statement: '', alterSpec: 'ADD COLUMN `sb_note` varchar(64) DEFAULT NULL', class: 'safe' as const, reasons: [] };
      if (!(await onlineProblems(conn, ws.config.database, [change])).length) return p;
    }
    return undefined;
  });
}

async function fiveEditsUnderWriters(ws: TestWorkspace, plans: FiveEdits[]) {
  const mainFilesBefore = snapshot(ws.root, 'schema/main');
  // Two writers in all: both on one table, or one on each.
  const writers = plans.map((p) => new TableWriters(ws.target, ws.config.database, p.shape, Math.max(1, WRITERS / plans.length)));
  for (const w of writers) await w.seed(ROWS);
  await ws.branches.createBranch('edit');
  for (const p of plans) {
    const path = join(ws.root, 'schema/edit', tableFileName(p.table));
    const before = readFileSync(path, 'utf8');
    assert.equal(before, mainFilesBefore.get(`schema/main/${tableFileName(p.table)}`), "the branch starts from main's file");
    writeFileSync(path, p.apply(before));
  }
  await ws.branches.pushBranch('edit');
  const planned = (await ws.branches.diffBranch('edit')).changes;

  const dr = deployRequestsFor(ws.config, ws.target, { revertWindowSeconds: 600 });
  const follow = followDeploysInMainFiles(ws.root, ws.config, ws.target, dr.events, () => undefined);
  const stalls: number[] = [];
  dr.events.on('state', (c: { message: string }) => {
    const m = /writes waited (\d+) ms/.exec(c.message);
    if (m) stalls.push(Number(m[1]));
  });
  const all = {
    acknowledged: () => writers.reduce((n, w) => n + w.acknowledged, 0),
    progress: (n: number) => Promise.all(writers.map((w) => w.progress(n))),
    longest: () => Math.max(...writers.map((w) => w.longestWriteMs)),
  };
  try {
    for (const w of writers) await w.start();
    await all.progress(20);
    const request = await dr.create('edit');
    const ackedBefore = all.acknowledged();
    const state = (await dr.deploy(request.id)).state;
    const duringDeploy = all.acknowledged() - ackedBefore;
    await follow.settled();
    // Writes on the new tables, then a look at them with the writers between two writes.
    await all.progress(20);
    await Promise.all(writers.map((w) => w.hold()));
    const atDeploy = await Promise.all(writers.map((w) => w.compare()));
    const deployLongestMs = all.longest();
    for (const w of writers) w.longestWriteMs = 0;
    for (const w of writers) w.unhold();
    const afterDeploy = [...(await ws.branches.diffBranch('edit')).changes, ...(await ws.branches.diffBranch('main')).changes].map((c) => c.statement);
    const mainAfter = snapshot(ws.root, 'schema/main');
    const mainFilesChanged = [...mainAfter.keys()].filter((f) => mainAfter.get(f) !== mainFilesBefore.get(f)).sort();

    // Writes in the revert window reach the old tables too; the revert must keep them all.
    await all.progress(50);
    const revertState = (await dr.revert(request.id)).state;
    await follow.settled();
    await all.progress(20);
    for (const w of writers) await w.stop();
    const atRevert = await Promise.all(writers.map((w) => w.compare()));
    const afterRevert = (await ws.branches.diffBranch('main')).changes.map((c) => c.statement);
    return {
      planned,
      state,
      duringDeploy,
      deployLongestMs,
      cutOverStallMs: stalls[0],
      afterDeploy,
      mainFilesChanged,
      revertState,
      revertLongestMs: all.longest(),
      revertStallMs: stalls[1],
      afterRevert,
      mainFilesBefore,
      mainFilesAfterRevert: snapshot(ws.root, 'schema/main'),
      tables: writers.map((w, i) => ({
        writers: Math.max(1, WRITERS / plans.length),
        atDeploy: atDeploy[i]!,
        atRevert: atRevert[i]!,
        acknowledged: w.acknowledged,
        failed: w.failed,
        vanished: w.vanished,
        errors: w.errors,
      })),
    };
  } finally {
    for (const w of writers) await w.stop().catch(() => undefined);
    await follow.dispose();
    await dr.dispose();
  }
}

function snapshot(root: string, folder: string): Map<string, string> {
  return new Map(readdirSync(join(root, folder)).map((f) => [`${folder}/${f}`, readFileSync(join(root, folder, f), 'utf8')]));
}
