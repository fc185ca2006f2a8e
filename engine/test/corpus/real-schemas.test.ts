/**
 * Public schemas of real applications (test/corpus/manifest.json), each against the
 * mariadb client as the reference: lint finds no error in valid DDL (only the tables
 * the server has no row key for are refused, by design), `branch push`
 * creates what the client creates from the same statements (SHOW CREATE TABLE equal,
 * table by table), main loaded by the client diffs empty, and so does a pull. Then one
 * realistic edit (a column on the first table with a row key) deploys online, leaves
 * nothing to diff and changes one of main's files; its revert puts everything back.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { followDeploysInMainFiles } from '../../src/branch/main-files.js';
import { deployRequestsFor } from '../../src/deploy/workspace.js';
import { withConnection } from '../../src/db/connection.js';
import { lintSchema } from '../../src/lint/index.js';
import { onlineProblems } from '../../src/migration/preflight.js';
import { tableFileName } from '../../src/branch/names.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { testWorkspace, type TestWorkspace } from '../branch/workspace.js';
import { corpusEntries, createTableStatements, loadWithClient, readCorpusFile, showCreateTables, tablesWithoutRowKey } from './corpus.js';

for (const entry of corpusEntries()) {
  test(`corpus ${entry.name} (${entry.application}): lint, push, diff and pull agree with the mariadb client`, async (t) => {
    const text = readCorpusFile(entry);
    const statements = createTableStatements(text);
    assert.ok(statements.length > 0, 'the schema has CREATE TABLE statements');
    const files: Record<string, string> = {};
    for (const s of statements) {
      files[`schema/main/${tableFileName(s.table)}`] = `${s.text};\n`;
      files[`schema/pushed/${tableFileName(s.table)}`] = `${s.text};\n`;
    }
    const ws = await testWorkspace(files, 'corpus');
    try {
      const main = ws.branches.load('main');
      const violations = lintSchema(main.schema, ws.config.lint).filter((v) => v.severity === 'error');
      const errors = [
        ...main.problems.filter((p) => p.severity === 'error').map((p) => `${p.file}: ${p.message}`),
        ...violations.filter((v) => v.code !== 'no-primary-key').map((v) => `${v.table}: ${v.message}`),
      ];
      const unkeyed = violations.filter((v) => v.code === 'no-primary-key').map((v) => v.table ?? '').sort();

      await withConnection(ws.target, undefined, (conn) => conn.query(`CREATE DATABASE ${quoteIdent(ws.config.database)}`));
      await loadWithClient(ws.target, ws.config.database, statements.map((s) => s.text));
      const reference = await showCreateTables(ws.target, ws.config.database);
      assert.equal(reference.size, statements.length, 'the client created one table per statement');
      assert.deepEqual(unkeyed, await tablesWithoutRowKey(ws.target, ws.config.database), 'no-primary-key flags exactly the tables the server has no row key for');

      await ws.branches.pushBranch('pushed');
      const pushed = await showCreateTables(ws.target, ws.branches.databaseOf('pushed'));
      const differing = [...reference].filter(([name, ddl]) => pushed.get(name) !== ddl).map(([name]) => name);

      const diffMain = (await ws.branches.diffBranch('main')).changes.map((c) => c.statement);
      // On main's files as the project wrote them: only the edited table's file may change.
      const keyed = statements.map((s) => s.table).filter((name) => !unkeyed.includes(name));
      const { table: edited, refused } = await firstOnlineTable(ws, keyed);
      const deployed = await deployOneEdit(ws, edited);
      await ws.branches.pullBranch('main');
      const diffPulled = (await ws.branches.diffBranch('main')).changes.map((c) => c.statement);


      t.diagnostic(
        `${entry.name}: ${statements.length} tables, ${errors.length} lint errors (and ${unkeyed.length} tables without a row key, an error by design), ` +
          `${diffMain.length} diff statements vs main, ${differing.length} tables pushed differently, ${diffPulled.length} after pull; ` +
          `deploy of one edit (${edited}; ${refused} keyed table${refused === 1 ? '' : 's'} before it refused online for a cascading key): ${deployed.state}, ${deployed.afterDeploy.length} diff statements after, ${deployed.mainFilesChanged.length} main file changed, ${deployed.afterRevert.length} diff statements after revert`,
      );
      assert.deepEqual(errors, [], 'lint finds no error in a schema the server accepts');
      for (const name of differing) assert.equal(pushed.get(name), reference.get(name), `branch push creates ${name} as the mariadb client does`);
      assert.deepEqual(diffMain, [], 'main loaded by the client diffs empty against the same files');
      assert.deepEqual(diffPulled, [], 'pulled files diff empty');
      assert.equal(deployed.state, 'complete_pending_revert');
      assert.deepEqual(deployed.afterDeploy, [], 'after the deploy, main and the branch diff empty');
      assert.deepEqual(deployed.mainFilesChanged, [deployed.file], 'main\'s files change only where the deploy did');
      assert.deepEqual(deployed.afterRevert, [], 'after the revert, main diffs empty against its files from before');
    } finally {
      await ws.cleanup();
    }
  });
}

/**
 * The first of `names` a column can be added to online, and how many before it
 * the pre-flight refuses (a key the server cascades into: migration/preflight.ts).
 */
async function firstOnlineTable(ws: TestWorkspace, names: string[]): Promise<{ table: string; refused: number }> {
  return withConnection(ws.target, undefined, async (conn) => {
    for (const [i, table] of names.entries()) {
      const change = { table, kind: 'alter_table' as const, statement: '', alterSpec: 'ADD COLUMN `sb_corpus_note` varchar(64) DEFAULT NULL', class: 'safe' as const, reasons: [] };
      if (!(await onlineProblems(conn, ws.config.database, [change])).length) return { table, refused: i };
    }
    return { table: '', refused: names.length };
  });
}

/**
 * A realistic edit (a nullable column on `table`) from a branch, deployed online, then
 * reverted: what diff and main's files say after each step.
 */
async function deployOneEdit(ws: TestWorkspace, table: string): Promise<{ state: string; file: string; afterDeploy: string[]; mainFilesChanged: string[]; afterRevert: string[] }> {
  const file = `schema/main/${tableFileName(table)}`;
  const mainBefore = snapshot(ws.root, 'schema/main');
  await ws.branches.createBranch('edit');
  const path = join(ws.root, 'schema/edit', tableFileName(table));
  const text = readFileSync(path, 'utf8');
  // After the last column (before the first key line), or first when the keys are written inline.
  const firstKey = text.search(/^[ \t]+(PRIMARY|UNIQUE|KEY|INDEX|FULLTEXT|SPATIAL|CONSTRAINT)\b/im);
  const at = firstKey > 0 ? firstKey : text.indexOf('(') + 1;
  writeFileSync(path, `${text.slice(0, at)}  sb_corpus_note varchar(64) DEFAULT NULL,\n${text.slice(at)}`);
  await ws.branches.pushBranch('edit');
  const dr = deployRequestsFor(ws.config, ws.target, { revertWindowSeconds: 600 });
  const follow = followDeploysInMainFiles(ws.root, ws.config, ws.target, dr.events, () => undefined);
  try {
    const request = await dr.create('edit');
    const state = (await dr.deploy(request.id)).state;
    await follow.settled();
    const afterDeploy = [...(await ws.branches.diffBranch('edit')).changes, ...(await ws.branches.diffBranch('main')).changes].map((c) => c.statement);
    const mainAfter = snapshot(ws.root, 'schema/main');
    const mainFilesChanged = [...mainAfter.keys()].filter((f) => mainAfter.get(f) !== mainBefore.get(f));
    await dr.revert(request.id);
    await follow.settled();
    const afterRevert = (await ws.branches.diffBranch('main')).changes.map((c) => c.statement);
    assert.deepEqual(snapshot(ws.root, 'schema/main'), mainBefore, 'a revert puts main\'s files back as they were');
    return { state, file, afterDeploy, mainFilesChanged, afterRevert };
  } finally {
    await follow.dispose();
    await dr.dispose();
  }
}

function snapshot(root: string, folder: string): Map<string, string> {
  return new Map(readdirSync(join(root, folder)).map((f) => [`${folder}/${f}`, readFileSync(join(root, folder, f), 'utf8')]));
}
