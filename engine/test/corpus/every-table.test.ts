/**
 * The five realistic edits (five-edits.ts) to every table of each corpus schema
 * that takes them and that an online migration accepts, all in one deploy
 * request: every shape of real table (MyISAM, FULLTEXT, composite and string
 * keys, keys other tables point at) goes through the copy, the cut-over and the
 * revert. No writers here (edits-under-writers.test.ts has them); the tables are
 * empty, so a schema takes seconds. The diff is empty after the deploy and after
 * the revert, and main's files change exactly where the deploy did, and back.
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
import { planFiveEdits, type FiveEdits } from './five-edits.js';

for (const entry of corpusEntries()) {
  test(`corpus ${entry.name} (${entry.application}): five edits to every table that takes them deploy in one request and revert`, async () => {
    const text = readCorpusFile(entry);
    const statements = createTableStatements(text);
    const files: Record<string, string> = {};
    for (const s of statements) files[`schema/main/${tableFileName(s.table)}`] = `${s.text};\n`;
    const ws = await testWorkspace(files, 'cevery');
    try {
      await withConnection(ws.target, undefined, (conn) => conn.query(`CREATE DATABASE ${quoteIdent(ws.config.database)}`));
      await loadWithClient(ws.target, ws.config.database, statements.map((s) => s.text));
      const { plans, notPlanned, refused } = await planEveryTable(ws);
      assert.ok(plans.length > 0, 'some table takes the five edits online');
      const mainBefore = snapshot(ws.root, 'schema/main');
      await ws.branches.createBranch('edit');
      for (const p of plans) {
        const path = join(ws.root, 'schema/edit', tableFileName(p.table));
        writeFileSync(path, p.apply(readFileSync(path, 'utf8')));
      }
      await ws.branches.pushBranch('edit');
      const planned = (await ws.branches.diffBranch('edit')).changes;

      const dr = deployRequestsFor(ws.config, ws.target, { revertWindowSeconds: 600 });
      const follow = followDeploysInMainFiles(ws.root, ws.config, ws.target, dr.events, () => undefined);
      try {
        const request = await dr.create('edit');
        const started = Date.now();
        const state = (await dr.deploy(request.id)).state;
        const deployMs = Date.now() - started;
        await follow.settled();
        const afterDeploy = [...(await ws.branches.diffBranch('edit')).changes, ...(await ws.branches.diffBranch('main')).changes].map((c) => c.statement);
        const mainAfter = snapshot(ws.root, 'schema/main');
        const changed = [...mainAfter.keys()].filter((f) => mainAfter.get(f) !== mainBefore.get(f)).sort();
        const revertState = (await dr.revert(request.id)).state;
        await follow.settled();
        const afterRevert = (await ws.branches.diffBranch('main')).changes.map((c) => c.statement);
        console.log(
          `[corpus every table] ${entry.name}: ${statements.length} tables, ${plans.length} edited in one deploy request ` +
            `(${notPlanned} without a column each edit fits, ${refused.length} refused online: ${refused.join(', ') || 'none'}); ` +
            `${planned.length} ALTERs; deploy ${state} in ${deployMs} ms, ${afterDeploy.length} diff statements after; revert ${revertState}, ${afterRevert.length} diff statements after`,
        );
        assert.deepEqual(planned.map((c) => c.table).sort(), plans.map((p) => p.table).sort(), 'one ALTER per edited table');
        for (const p of plans) {
          const alter = planned.find((c) => c.table === p.table)!.statement;
          for (const m of p.mentions) assert.ok(alter.includes(m), `the ALTER of ${p.table} names ${m}: ${alter}`);
        }
        assert.equal(state, 'complete_pending_revert');
        assert.deepEqual(afterDeploy, [], 'after the deploy, main and the branch diff empty');
        assert.deepEqual(changed, plans.map((p) => `schema/main/${tableFileName(p.table)}`).sort(), "main's files change exactly where the deploy did");
        assert.equal(revertState, 'complete_revert');
        assert.deepEqual(afterRevert, [], 'after the revert, main diffs empty against its files from before');
        assert.deepEqual(snapshot(ws.root, 'schema/main'), mainBefore, "a revert puts main's files back as they were");
      } finally {
        await follow.dispose();
        await dr.dispose();
      }
    } finally {
      await ws.cleanup();
    }
  });
}

/** A plan for every table the edits fit, minus those the online pre-flight refuses (named). */
async function planEveryTable(ws: TestWorkspace): Promise<{ plans: FiveEdits[]; notPlanned: number; refused: string[] }> {
  const main = ws.branches.load('main');
  const text = (tb: Table): string => readFileSync(join(ws.root, tb.source!.file), 'utf8');
  const all = main.schema.tables.filter((tb) => tb.source).map((tb) => planFiveEdits(tb, text, 'any'));
  const fitting = all.filter((p): p is FiveEdits => p !== undefined);
  const refused: string[] = [];
  const plans: FiveEdits[] = [];
  await withConnection(ws.target, undefined, async (conn) => {
    for (const p of fitting) {
      const change = { table: p.table, kind: 'alter_table' as const, statement: '', alterSpec: 'ADD COLUMN `sb_note` varchar(64) DEFAULT NULL', class: 'safe' as const, reasons: [] };
      if ((await onlineProblems(conn, ws.config.database, [change])).length) refused.push(p.table);
      else plans.push(p);
    }
  });
  return { plans, notPlanned: all.length - fitting.length, refused };
}

function snapshot(root: string, folder: string): Map<string, string> {
  return new Map(readdirSync(join(root, folder)).map((f) => [`${folder}/${f}`, readFileSync(join(root, folder, f), 'utf8')]));
}
