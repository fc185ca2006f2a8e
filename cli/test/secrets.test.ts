/**
 * A repository names the server; the user names the password. Against a fake
 * MySQL server on a loopback port (the attacker's host), the CLI never sends
 * SCHEMABRANCH_PASSWORD to a URL read from schemabranch.json, never echoes a
 * password typed into a URL, and survives a reader that stops early.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFakeMysql } from '../../test/support/fake-mysql.js';
import { cli, repo } from './run-cli.js';

const PASSWORD = 'hunter2-not-for-the-repo';

function workspace(config: unknown, files: Record<string, string> = {}): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'sb-secrets-'));
  writeFileSync(join(root, 'schemabranch.json'), JSON.stringify(config));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

test("SCHEMABRANCH_PASSWORD never reaches a server named by the repository's schemabranch.json", async () => {
  const fake = await startFakeMysql();
  const ws = workspace({ connection: { url: `mysql://app@127.0.0.1:${fake.port}` } });
  try {
    const env = { SCHEMABRANCH_PASSWORD: PASSWORD, SCHEMABRANCH_URL: '' };
    const r = await cli(['deploy-request', 'list', '--dir', ws.root], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /SCHEMABRANCH_PASSWORD is only sent to a server you name yourself, and app@127\.0\.0\.1:\d+ comes from the workspace's configuration\. Pass the URL alongside the password \(--url/);
    const json = await cli(['branch', 'push', 'main', '--dir', ws.root, '--json'], env);
    assert.equal(json.code, 1);
    assert.match((JSON.parse(json.stdout) as { error: { message: string } }).error.message, /only sent to a server you name yourself/);
    assert.equal(fake.connections(), 0, 'nothing connected to the repository\'s host');
    assert.equal(fake.sawPassword(PASSWORD), false);

    // The same host named by the user (flag or environment) does get it: the fake can tell.
    const flag = await cli(['deploy-request', 'list', '--dir', ws.root, '--url', `mysql://app@127.0.0.1:${fake.port}`], env);
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /Access denied/);
    assert.equal(fake.sawPassword(PASSWORD), true, 'the fake server recognises the scramble when it is sent');
    assert.doesNotMatch(flag.stderr + flag.stdout, new RegExp(PASSWORD));
    const before = fake.connections();
    await cli(['deploy-request', 'list', '--dir', ws.root], { SCHEMABRANCH_PASSWORD: PASSWORD, SCHEMABRANCH_URL: `mysql://app@127.0.0.1:${fake.port}` });
    assert.equal(fake.connections(), before + 1);
  } finally {
    ws.remove();
    await fake.close();
  }
});

test('a password typed into a URL is never echoed: stderr, --json, --url', async () => {
  const ws = workspace({ connection: { url: `mysql://app:${PASSWORD}@db.example:3306` } });
  try {
    for (const args of [['lint'], ['lint', '--json'], ['deploy-request', 'list', '--json'], ['deploy-request', 'list', '--url', `mysql://app:${PASSWORD}@db.example:3306`]]) {
      const r = await cli([...args, '--dir', ws.root], { SCHEMABRANCH_URL: '' });
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr + r.stdout, /password/i, `${args.join(' ')} says what is wrong`);
      assert.doesNotMatch(r.stderr + r.stdout, new RegExp(PASSWORD), args.join(' '));
    }
  } finally {
    ws.remove();
  }
});

test('a reader that closes early (| head) ends the CLI quietly with its normal exit code', async () => {
  // Enough findings to overflow the pipe's buffer many times over: the writes after `head` leaves hit EPIPE.
  const files: Record<string, string> = {};
  for (let i = 0; i < 1500; i++) files[`schema/main/log_${i}.sql`] = `CREATE TABLE log_${i} (message TEXT);\n`;
  const ws = workspace({}, files);
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'cli/src/main.ts'), 'lint', '--dir', ws.root], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let firstLine = '';
    child.stdout.once('data', (d: Buffer) => {
      firstLine = d.toString().split('\n')[0];
      child.stdout.destroy(); // what `head -1` does after its first line
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.match(firstLine, /no-primary-key|log_/);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled|at .*\(.*:\d+:\d+\)/);
    assert.equal(code, 1, 'lint found error-level violations: the normal exit code, not a crash');
  } finally {
    ws.remove();
  }
});
