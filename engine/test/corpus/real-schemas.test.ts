/**
 * Public schemas of real applications (test/corpus/manifest.json), each against the
 * mariadb client as the reference: lint finds no error in valid DDL (only the tables
 * the server has no row key for are refused, by design), `branch push`
 * creates what the client creates from the same statements (SHOW CREATE TABLE equal,
 * table by table), main loaded by the client diffs empty, and so does a pull.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withConnection } from '../../src/db/connection.js';
import { lintSchema } from '../../src/lint/index.js';
import { tableFileName } from '../../src/branch/names.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { testWorkspace } from '../branch/workspace.js';
import { corpusEntries, createTableStatements, loadWithClient, readCorpusFile, showCreateTables, tablesWithoutRowKey } from './corpus.js';

for (const entry of corpusEntries()) {
  test(`corpus ${entry.name} (${entry.application}): lint, push, diff and pull agree with the mariadb client`, async (t) => {
    const file = readCorpusFile(entry);
    if ('missing' in file) {
      t.skip(file.missing);
      return;
    }
    const statements = createTableStatements(file.text);
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
      await ws.branches.pullBranch('main');
      const diffPulled = (await ws.branches.diffBranch('main')).changes.map((c) => c.statement);

      t.diagnostic(`${entry.name}: ${statements.length} tables, ${errors.length} lint errors (and ${unkeyed.length} tables without a row key, an error by design), ${diffMain.length} diff statements vs main, ${differing.length} tables pushed differently, ${diffPulled.length} after pull`);
      assert.deepEqual(errors, [], 'lint finds no error in a schema the server accepts');
      for (const name of differing) assert.equal(pushed.get(name), reference.get(name), `branch push creates ${name} as the mariadb client does`);
      assert.deepEqual(diffMain, [], 'main loaded by the client diffs empty against the same files');
      assert.deepEqual(diffPulled, [], 'pulled files diff empty');
    } finally {
      await ws.cleanup();
    }
  });
}
