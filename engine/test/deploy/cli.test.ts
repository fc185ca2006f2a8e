import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, type Fixture } from './fixture.js';
import { runner } from './runner.js';

const root = join(__dirname, '..', '..', '..');
const entry = ['cli/src/main.ts'];

function cli(dir: string, args: string[]): Promise<{ code: number; json: unknown; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...entry, '--dir', dir, 'deploy-request', ...args, '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      try {
        resolve({ code: code ?? 1, json: JSON.parse(out), stderr: err });
      } catch {
        reject(new Error(`deploy-request ${args.join(' ')} printed no JSON (exit ${code}):\n${out}\n${err}`));
      }
    });
  });
}

/** A workspace folder whose schemabranch.json points at the fixture's main database on the test server. */
function workspaceFor(f: Fixture): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-dr-cli-'));
  const socket = f.target.socketPath ? `?socket=${encodeURIComponent(f.target.socketPath)}` : '';
  const url = f.target.socketPath ? `mysql://${f.target.user}@localhost${socket}` : `mysql://${f.target.user}@${f.target.host ?? '127.0.0.1'}:${f.target.port ?? 3306}`;
  writeFileSync(join(dir, 'schemabranch.json'), JSON.stringify({ database: f.main, connection: { url } }));
  return dir;
}

interface RequestJson {
  id: number;
  state: string;
  branch: string;
  windowDeadline: string | null;
  changes: Array<{ statement: string; before?: unknown }>;
  history?: Array<{ toState: string }>;
}

test('the CLI drives a deploy request end to end with --json', async () => {
  const f = await fixture({ rows: 300 });
  const dir = workspaceFor(f);
  try {
    const created = await cli(dir, ['create', f.branch]);
    assert.equal(created.code, 0, created.stderr);
    const r = created.json as RequestJson;
    assert.equal(r.state, 'open');
    assert.equal(r.branch, f.branch);
    assert.match(r.changes[0].statement, /ADD COLUMN `nick`/);
    assert.equal(r.changes[0].before, undefined, '--json leaves out the before/after tables');

    const deployed = await cli(dir, ['deploy', String(r.id)]);
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.equal((deployed.json as RequestJson).state, 'complete_pending_revert');
    assert.ok((deployed.json as RequestJson).windowDeadline);
    assert.match(deployed.stderr, /users: 100% \(/, 'plain progress lines when stderr is not a terminal');

    const refused = await cli(dir, ['close', String(r.id)]);
    assert.equal(refused.code, 1);
    assert.match((refused.json as { error: { message: string } }).error.message, new RegExp(`deploy request #${r.id} is complete_pending_revert; only open requests can be closed`));

    const reverted = await cli(dir, ['revert', String(r.id)]);
    assert.equal(reverted.code, 0, reverted.stderr);
    assert.equal((reverted.json as RequestJson).state, 'complete_revert');
    assert.deepEqual(await f.columns('users'), ['id', 'email']);
    const shown = await cli(dir, ['show', `#${r.id}`]);
    assert.deepEqual((shown.json as RequestJson).history?.map((e) => e.toState), ['open', 'in_progress', 'complete_pending_revert', 'in_progress_revert', 'complete_revert']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await f.cleanup();
  }
});

test('the CLI pauses and resumes a deploy that another process runs, with --json', async () => {
  const f = await fixture({ rows: 150_000 });
  const dir = workspaceFor(f);
  try {
    const r = await f.dr.create(f.branch);
    const refused = await cli(dir, ['pause', String(r.id)]);
    assert.equal(refused.code, 1);
    assert.match((refused.json as { error: { message: string } }).error.message, new RegExp(`deploy request #${r.id} is open; only a request that is copying rows \\(in_progress\\) can be paused`));

    const child = runner(f, r.id);
    try {
      await child.next((l) => (l.progress?.rowsCopied ?? 0) > 0, 'the first copied chunk');
      const paused = await cli(dir, ['pause', String(r.id)]);
      assert.equal(paused.code, 0, paused.stderr);
      assert.equal((paused.json as RequestJson & { paused: boolean }).paused, true);
      assert.equal((paused.json as RequestJson).state, 'in_progress');
      await child.next((l) => l.progress?.paused === true, 'the copy to pause');
      const resumed = await cli(dir, ['resume', String(r.id)]);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.equal((resumed.json as RequestJson & { paused: boolean }).paused, false);
      assert.equal((await child.next((l) => l.end !== undefined, 'the deploy to end')).end, 'complete_pending_revert');
      await child.exit;
    } finally {
      child.kill();
    }
    assert.equal(await f.count(), 150_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await f.cleanup();
  }
});

test('deploy-request verify compares a gated copy with main on demand, names a row that differs, and the cut-over refuses it', async () => {
  const f = await fixture({ rows: 3000 });
  const dir = workspaceFor(f);
  try {
    const r = await f.dr.create(f.branch);
    const early = await cli(dir, ['verify', String(r.id)]);
    assert.equal(early.code, 1);
    assert.match((early.json as { error: { message: string } }).error.message, new RegExp(`deploy request #${r.id} is open: verify compares a finished copy with main before its cut-over`));
    assert.equal((await f.dr.deploy(r.id, { gated: true })).state, 'pending_cutover');

    const clean = await cli(dir, ['verify', String(r.id)]);
    assert.equal(clean.code, 0, clean.stderr);
    const v = clean.json as { ok: boolean; tables: Array<{ table: string; rows: number; differences: unknown[] }> };
    assert.equal(v.ok, true);
    assert.deepEqual(v.tables.map((t) => [t.table, t.rows, t.differences.length]), [['users', 3000, 0]]);

    // A change no capture trigger sees (what a cascade does): the copy no longer matches main.
    await f.conn.query("SET @schemabranch_engine = 1; UPDATE users SET email = 'changed@example.com' WHERE id = 42; SET @schemabranch_engine = NULL");
    const dirty = await cli(dir, ['verify', String(r.id)]);
    assert.equal(dirty.code, 1);
    assert.deepEqual((dirty.json as { tables: Array<{ differences: unknown[] }> }).tables[0]!.differences, [{ key: { id: '42' }, problem: 'differs' }]);

    const applied = await cli(dir, ['apply', String(r.id)]);
    assert.equal(applied.code, 1);
    assert.match((applied.json as { error: { message: string } }).error.message, /Cut-over refused: the copy of users does not match it in 1 row: \{"id":"42"\} differs\./);
    assert.deepEqual(await f.columns('users'), ['id', 'email'], 'main is unchanged');
    const shown = await cli(dir, ['show', String(r.id)]);
    const history = (shown.json as { history: Array<{ message: string }> }).history.map((e) => e.message);
    assert.ok(history.some((m) => /^verified: 3000 rows of users match main/.test(m)), history.join('\n'));
    assert.ok(history.some((m) => /^verify found differences: the copy of users does not match it in 1 row/.test(m)), history.join('\n'));
    assert.equal((await cli(dir, ['cancel', String(r.id)])).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await f.cleanup();
  }
});

test('cli: `instant` asks the server, `deploy --instant` deploys without a copy, `--instant --gated` is a usage error', async () => {
  const f = await fixture({ rows: 200, branchSchema: ['CREATE TABLE users (id int unsigned NOT NULL AUTO_INCREMENT, email varchar(100) NOT NULL, nick varchar(20) DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4', 'CREATE TABLE notes (id int unsigned NOT NULL AUTO_INCREMENT, body varchar(100) NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4'] });
  const dir = workspaceFor(f);
  try {
    const opened = await cli(dir, ['create', f.branch]);
    const id = (opened.json as RequestJson).id;
    const verdict = await cli(dir, ['instant', String(id)]);
    assert.equal(verdict.code, 0);
    const v = verdict.json as { instant: boolean; method: string; revertible: boolean; inverse: unknown[] };
    assert.deepEqual({ instant: v.instant, method: v.method, revertible: v.revertible, undo: v.inverse.length }, { instant: true, method: 'instant', revertible: true, undo: 1 });
    const usage = spawn(process.execPath, ['--import', 'tsx', ...entry, '--dir', dir, 'deploy-request', 'deploy', String(id), '--instant', '--gated'], { cwd: root, stdio: 'ignore' });
    assert.equal(await new Promise((res) => usage.once('close', res)), 2);
    const deployed = await cli(dir, ['deploy', String(id), '--instant']);
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.equal((deployed.json as RequestJson).state, 'complete_pending_revert');
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await f.cleanup();
  }
});
