import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { testWorkspace } from '../../engine/test/branch/workspace.js';
import { cli, repo } from './run-cli.js';

test('help, usage errors and unknown commands use exit codes 0 and 2', async () => {
  const [help, branchHelp, unknown, bad, missing] = await Promise.all([
    cli(['--help']),
    cli(['branch', '--help']),
    cli(['frobnicate']),
    cli(['branch', 'push', 'x', '--bogus']),
    cli(['diff']),
  ]);
  assert.equal(help.code, 0);
  for (const name of ['init', 'branch', 'diff', 'lint', 'sandbox']) assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'));
  assert.equal(branchHelp.code, 0);
  assert.match(branchHelp.stdout, /create <branch>/);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--bogus/);
  assert.equal(missing.code, 2);
});

test('lint: --json report, exit 1 on error-level violations, 0 on warnings only', async () => {
  const shop = await cli(['lint', '--dir', join(repo, 'examples/shop'), '--json']);
  const report = JSON.parse(shop.stdout) as { ok: boolean; tables: number; errors: number; violations: Array<{ code: string; table?: string }> };
  assert.equal(report.tables, 11);
  assert.equal(shop.code, report.ok ? 0 : 1);
  assert.ok(report.violations.some((v) => v.code === 'float-double' && v.table === 'coupons'), 'the example has one deliberately flagged table');

  const ws = await testWorkspace({ 'schema/main/log.sql': 'CREATE TABLE log (message TEXT);\n' });
  try {
    const bad = await cli(['lint', 'main', '--dir', ws.root]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /schema\/main\/log\.sql:1:\d+: error: .*\[no-primary-key\]/);
    ws.write('schema/main/log.sql', 'CREATE TABLE log (id INT PRIMARY KEY, message TEXT,);\n');
    const syntax = await cli(['lint', '--dir', ws.root, '--json']);
    assert.equal(syntax.code, 1);
    const parsed = JSON.parse(syntax.stdout) as { problems: Array<{ file: string; kind: string }> };
    assert.equal(parsed.problems[0].file, 'schema/main/log.sql');
  } finally {
    await ws.cleanup();
  }
});

test('init writes schemabranch.json and schema/main/, and never a password', async () => {
  const root = join(mkdtempSync(join(tmpdir(), 'sb-init-')), 'My Shop');
  try {
    const r = await cli(['init', '--dir', root, '--url', 'mysql://app@db.internal:3306', '--json'], { SCHEMABRANCH_PASSWORD: 'hunter2' });
    assert.equal(r.code, 0, r.stderr);
    const config = readFileSync(join(root, 'schemabranch.json'), 'utf8');
    assert.deepEqual(JSON.parse(config), { database: 'my_shop', schemaDir: 'schema', connection: { url: 'mysql://app@db.internal:3306' } });
    assert.doesNotMatch(config + r.stdout, /hunter2/);
    assert.ok(existsSync(join(root, 'schema/main')));
    assert.equal((await cli(['init', '--dir', root])).code, 1, 'an initialised workspace is not overwritten');
    const withPassword = await cli(['init', '--dir', root, '--force', '--url', 'mysql://app:secret@db:3306']);
    assert.equal(withPassword.code, 1);
    assert.match(withPassword.stderr, /contains a password/);
  } finally {
    rmSync(join(root, '..'), { recursive: true, force: true });
  }
});

test('a bad schemabranch.json fails with the file, line and column', async () => {
  const ws = await testWorkspace({});
  try {
    ws.write('schemabranch.json', '{\n  "database": "x",\n  "revertWindowMinutes": "soon"\n}\n');
    const r = await cli(['lint', '--dir', ws.root]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /schemabranch\.json:3:26: revertWindowMinutes must be a whole number/);
  } finally {
    await ws.cleanup();
  }
});
