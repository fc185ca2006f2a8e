/**
 * `lint --format sarif` and `diff --format markdown` end to end through the real
 * CLI; every SARIF log is validated against the official SARIF 2.1.0 schema
 * (as @microsoft/jest-sarif ships it), offline.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { POSTS, testWorkspace, USERS } from '../../engine/test/branch/workspace.js';
import { cli, repo } from './run-cli.js';
import { validateSarif as validate, validLog } from './sarif-schema.js';

test('the schema check can fail: a log missing its version is refused', () => {
  assert.equal(validate({ runs: [] }), false);
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false, 'a driver needs a name');
});

test('lint --format sarif: valid SARIF 2.1.0 with the rule registry, repository-relative paths and 1-based regions', async () => {
  // The workspace is a sub-folder of a repository, as examples/shop is.
  const ws = await testWorkspace({}, 'sarif');
  try {
    mkdirSync(join(ws.root, '.git'));
    ws.write('db/schemabranch.json', JSON.stringify({ database: ws.config.database }));
    ws.write('db/schema/main/log.sql', 'CREATE TABLE log (\n  message TEXT\n);\n');
    ws.write('db/schema/main/price list.sql', 'CREATE TABLE prices (id INT PRIMARY KEY, amount FLOAT);\n');
    ws.write('db/schema/main/broken.sql', 'CREATE TABLE broken (id INT PRIMARY KEY,);\n');
    const r = await cli(['lint', '--dir', join(ws.root, 'db'), '--format', 'sarif']);
    assert.equal(r.code, 1, 'errors still exit 1 in SARIF');
    const log = validLog(r.stdout);
    assert.equal(log.runs.length, 1);
    const { driver } = log.runs[0].tool;
    assert.equal(driver.name, 'schemabranch');
    const fk = driver.rules.find((rule) => rule.id === 'foreign-key')!;
    assert.deepEqual(fk.defaultConfiguration, { enabled: false, level: 'none' });
    assert.match(fk.helpUri, /^file:\/\/.*\/docs\/lint-rules\.md#foreign-key$/);
    assert.deepEqual(driver.rules.find((rule) => rule.id === 'no-primary-key')!.defaultConfiguration, { enabled: true, level: 'error' });
    const byRule = new Map(log.runs[0].results.map((res) => [res.ruleId, res]));
    const npk = byRule.get('no-primary-key')!;
    assert.equal(npk.level, 'error');
    assert.equal(driver.rules[npk.ruleIndex].id, 'no-primary-key');
    assert.deepEqual(npk.locations![0].physicalLocation, { artifactLocation: { uri: 'db/schema/main/log.sql' }, region: { startLine: 1, startColumn: 14, endLine: 1, endColumn: 17 } });
    const float = byRule.get('float-double')!;
    assert.equal(float.level, 'warning');
    assert.equal(float.locations![0].physicalLocation.artifactLocation.uri, 'db/schema/main/price%20list.sql');
    const syntax = log.runs[0].results.find((res) => res.locations?.[0].physicalLocation.artifactLocation.uri === 'db/schema/main/broken.sql')!;
    assert.equal(syntax.level, 'error');
    assert.equal(driver.rules[syntax.ruleIndex].id, syntax.ruleId, 'a schema problem code becomes a rule of its own');
  } finally {
    await ws.cleanup();
  }
});

test('the shipped example lints to valid SARIF with paths from the repository root', async () => {
  const r = await cli(['lint', '--dir', join(repo, 'examples/shop'), '--format', 'sarif']);
  const log = validLog(r.stdout);
  assert.ok(log.runs[0].results.length > 0);
  for (const res of log.runs[0].results) assert.match(res.locations![0].physicalLocation.artifactLocation.uri, /^examples\/shop\/schema\/main\/[a-z_]+\.sql$/);
});

test('diff --format markdown and lint --against-main --format sarif|github against the test server', async () => {
  const ws = await testWorkspace({ 'schema/main/users.sql': USERS, 'schema/main/posts.sql': POSTS }, 'sarif');
  const dir = ['--dir', ws.root];
  try {
    assert.equal((await cli(['branch', 'push', 'main', ...dir])).code, 0);
    assert.equal((await cli(['branch', 'create', 'feat', ...dir])).code, 0);
    ws.write('schema/feat/users.sql', USERS.replace('  email VARCHAR(255) NOT NULL,\n', ''));
    const [md, json, sarif, github, bad] = await Promise.all([
      cli(['diff', 'feat', ...dir, '--format', 'markdown']),
      cli(['diff', 'feat', ...dir, '--format', 'json']),
      cli(['lint', 'feat', '--against-main', ...dir, '--format', 'sarif']),
      cli(['lint', 'feat', '--against-main', ...dir, '--format', 'github']),
      cli(['diff', 'feat', ...dir, '--format', 'sarif']),
    ]);
    assert.equal(md.code, 0, md.stderr);
    const lines = md.stdout.split('\n');
    assert.equal(lines[0], `### schemabranch: \`feat\` vs main (\`${ws.config.database}\`)`);
    assert.equal(lines[2], '1 statement: 1 destructive.');
    assert.equal(lines[4], '```sql');
    assert.equal(lines[5], '-- destructive: Column `email` and its values are dropped.');
    assert.match(lines[6], /^ALTER TABLE `users` DROP COLUMN `email`/);
    assert.ok(lines.includes('**Lint verdict: not deployable** (1 error, 0 warnings)'), md.stdout);
    assert.ok(lines.some((l) => l.startsWith('- ❌ error [`destructive-change`] on `users`: Deploying drops column `users`.`email`')), md.stdout);
    assert.equal((JSON.parse(json.stdout) as { changes: unknown[] }).changes.length, 1, '--format json is --json');
    assert.equal(sarif.code, 1);
    const destructive = validLog(sarif.stdout).runs[0].results.find((res) => res.ruleId === 'destructive-change');
    assert.ok(destructive, 'deploy-time findings are in the log');
    assert.equal(github.code, 1);
    assert.match(github.stdout, /^::error file=schema\/feat\/users\.sql,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=destructive-change::Deploying drops column/m);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unknown --format "sarif": use one of text, markdown, json/);
  } finally {
    await ws.cleanup();
  }
});
