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
import { quoteIdent } from '../../src/sql/quote.js';
import { testWorkspace, type TestWorkspace } from '../branch/workspace.js';
import { corpusEntries, createTableStatements, loadWithClient, readCorpusFile } from './corpus.js';
import { planFiveEdits, type FiveEdits, type KeyShape } from './five-edits.js';
import { TableWriters } from './table-writers.js';

/** Sized for a 2-core machine: a few thousand rows and two writers keep each schema to a few seconds. */
const ROWS = 3000;
const WRITERS = 2;

const SHAPES: Array<{ shape: KeyShape; words: string }> = [
  { shape: 'integer', words: 'a table keyed by one integer' },
  { shape: 'other', words: 'a table keyed otherwise (a string, several columns)' },
];

for (const entry of corpusEntries()) for (const { shape, words } of SHAPES) {
  test(`corpus ${entry.name} (${entry.application}): five edits to ${words} deploy under ${WRITERS} writers with zero loss, and revert`, async (t) => {
    const file = readCorpusFile(entry);
    if ('missing' in file) {
      t.skip(file.missing);
      return;
    }
    const statements = createTableStatements(file.text);
    const files: Record<string, string> = {};
    for (const s of statements) files[`schema/main/${tableFileName(s.table)}`] = `${s.text};\n`;
    const ws = await testWorkspace(files, 'cedit');
    try {
      await withConnection(ws.target, undefined, (conn) => conn.query(`CREATE DATABASE ${quoteIdent(ws.config.database)}`));
      await loadWithClient(ws.target, ws.config.database, statements.map((s) => s.text));
      const plan = await chooseTable(ws, shape);
      if (!plan && shape === 'other') {
        // Not every application has one: a skip says so rather than a pass.
        t.skip(`${entry.name} has no ${words.slice(2)} without outgoing foreign keys that takes the five edits online`);
        return;
      }
      assert.ok(plan, `${entry.name} has ${words} that takes the five edits online`);
      const r = await fiveEditsUnderWriters(ws, plan);
      console.log(
        `[corpus five edits] ${entry.name}: table ${plan.table} keyed by (${plan.shape.key.map((c) => `${c.name} ${c.type.base}`).join(', ')}) (${plan.edits.join('; ')}); ${ROWS} rows seeded, ${WRITERS} writers; ` +
          `deploy ${r.state}: ${r.duringDeploy} writes acknowledged during the deploy, ${r.atDeploy.compared} rows compared after it ` +
          `(missing ${r.atDeploy.missing.length}, extra ${r.atDeploy.extra.length}, different ${r.atDeploy.different.length}), cut-over stall ${r.cutOverStallMs} ms, longest write ${r.deployLongestMs} ms, ` +
          `${r.afterDeploy.length} diff statements after; revert ${r.revertState}: ${r.atRevert.compared} rows compared (missing ${r.atRevert.missing.length}, extra ${r.atRevert.extra.length}, different ${r.atRevert.different.length}), ` +
          `revert stall ${r.revertStallMs} ms, longest write ${r.revertLongestMs} ms, ${r.afterRevert.length} diff statements after; ` +
          `writes acknowledged ${r.acknowledged} (${r.vanished} found no row), not acknowledged ${r.failed}${r.errors.length ? ` (${r.errors.join(' | ')})` : ''}`,
      );
      assert.equal(r.planned.length, 1, `the five edits are one ALTER of ${plan.table}: ${r.planned.join('\n')}`);
      for (const m of plan.mentions) assert.ok(r.planned[0]!.includes(m), `the ALTER names ${m}: ${r.planned[0]}`);
      assert.equal(r.state, 'complete_pending_revert');
      assert.ok(r.duringDeploy > 0, 'the writers wrote while the deploy ran');
      assert.deepEqual(r.atDeploy, { ...r.atDeploy, missing: [], extra: [], different: [] }, 'after the deploy the table holds exactly the acknowledged writes');
      assert.deepEqual(r.afterDeploy, [], 'after the deploy, main and the branch diff empty');
      assert.deepEqual(r.mainFilesChanged, [`schema/main/${tableFileName(plan.table)}`], "main's files change only where the deploy did");
      assert.equal(r.revertState, 'complete_revert');
      assert.deepEqual(r.atRevert, { ...r.atRevert, missing: [], extra: [], different: [] }, 'after the revert the table holds exactly the acknowledged writes');
      assert.deepEqual(r.afterRevert, [], 'after the revert, main diffs empty against its files from before');
      assert.equal(r.vanished, 0, 'no update or delete found its row gone while the writers wrote');
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

async function fiveEditsUnderWriters(ws: TestWorkspace, plan: FiveEdits) {
  const mainFilesBefore = snapshot(ws.root, 'schema/main');
  const writers = new TableWriters(ws.target, ws.config.database, plan.shape, WRITERS);
  await writers.seed(ROWS);
  await ws.branches.createBranch('edit');
  const path = join(ws.root, 'schema/edit', tableFileName(plan.table));
  const before = readFileSync(path, 'utf8');
  assert.equal(before, mainFilesBefore.get(`schema/main/${tableFileName(plan.table)}`), 'the branch starts from main\'s file');
  writeFileSync(path, plan.apply(before));
  await ws.branches.pushBranch('edit');
  const planned = (await ws.branches.diffBranch('edit')).changes.map((c) => c.statement);

  const dr = deployRequestsFor(ws.config, ws.target, { revertWindowSeconds: 600 });
  const follow = followDeploysInMainFiles(ws.root, ws.config, ws.target, dr.events, () => undefined);
  const stalls: number[] = [];
  dr.events.on('state', (c: { message: string }) => {
    const m = /writes waited (\d+) ms/.exec(c.message);
    if (m) stalls.push(Number(m[1]));
  });
  try {
    await writers.start();
    await writers.progress(20);
    const request = await dr.create('edit');
    const ackedBefore = writers.acknowledged;
    const state = (await dr.deploy(request.id)).state;
    const duringDeploy = writers.acknowledged - ackedBefore;
    await follow.settled();
    // Writes on the new table, then a look at it with the writers between two writes.
    await writers.progress(20);
    await writers.hold();
    const atDeploy = await writers.compare();
    const deployLongestMs = writers.longestWriteMs;
    writers.longestWriteMs = 0;
    writers.unhold();
    const afterDeploy = [...(await ws.branches.diffBranch('edit')).changes, ...(await ws.branches.diffBranch('main')).changes].map((c) => c.statement);
    const mainAfter = snapshot(ws.root, 'schema/main');
    const mainFilesChanged = [...mainAfter.keys()].filter((f) => mainAfter.get(f) !== mainFilesBefore.get(f));

    // Writes in the revert window reach the old table too; the revert must keep them all.
    await writers.progress(50);
    const revertState = (await dr.revert(request.id)).state;
    await follow.settled();
    await writers.progress(20);
    await writers.stop();
    const atRevert = await writers.compare();
    const afterRevert = (await ws.branches.diffBranch('main')).changes.map((c) => c.statement);
    return {
      planned,
      state,
      duringDeploy,
      atDeploy,
      deployLongestMs,
      cutOverStallMs: stalls[0],
      afterDeploy,
      mainFilesChanged,
      revertState,
      atRevert,
      revertLongestMs: writers.longestWriteMs,
      revertStallMs: stalls[1],
      afterRevert,
      mainFilesBefore,
      mainFilesAfterRevert: snapshot(ws.root, 'schema/main'),
      acknowledged: writers.acknowledged,
      failed: writers.failed,
      vanished: writers.vanished,
      errors: writers.errors,
    };
  } finally {
    await writers.stop().catch(() => undefined);
    await follow.dispose();
    await dr.dispose();
  }
}

function snapshot(root: string, folder: string): Map<string, string> {
  return new Map(readdirSync(join(root, folder)).map((f) => [`${folder}/${f}`, readFileSync(join(root, folder, f), 'utf8')]));
}
