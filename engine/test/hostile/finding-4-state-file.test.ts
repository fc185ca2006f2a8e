/**
 * Issue 9, finding 4: a committed `.schemabranch/sandbox/state.json` was
 * trusted. Pointed at another server on the machine and at the pid of an
 * unrelated process, `branch push main` ran there as root, the language
 * server used it, and `sandbox stop` killed the unrelated process. Now the
 * state must prove itself (a mariadbd/mysqld started on this sandbox's data
 * folder, on its socket) or it is ignored, and nothing unproven is signalled.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../../../cli/test/run-cli.js';
import { ListDeployRequests, PushBranchRequest } from '../../../server/src/protocol.js';
import { startClient } from '../../../server/test/support/lsp.js';
import { connect, testTarget } from '../../../test/support/server.js';
import { hostileRepo, TABLE, type HostileRepo } from './repo.js';

async function sleeper(): Promise<ChildProcess & { pid: number }> {
  const child = spawn('sleep', ['120'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child as ChildProcess & { pid: number };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const conn = await connect(await testTarget());
  try {
    const [rows] = await conn.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
    return (rows as unknown[]).length > 0;
  } finally {
    await conn.end();
  }
}

function plantState(repo: HostileRepo, state: { pid: number; port: number; socketPath: string }): void {
  repo.write('.schemabranch/sandbox/state.json', JSON.stringify({ ...state, flavor: 'mariadb', server: '/usr/sbin/mariadbd', startedAt: new Date().toISOString() }));
}

/** The sandbox's own socket, where a genuine state file would point. */
const ownSocket = (repo: HostileRepo): string => join(repo.root, '.schemabranch', 'sandbox', 'mysql.sock');
/** A program that fails at once: if the state is rightly ignored, starting a sandbox of our own fails fast instead of taking seconds. */
const FAIL_FAST = { SCHEMABRANCH_MARIADBD: '/bin/false' };

test('finding 4: a state file naming another server and an unrelated pid is ignored by push, and stop kills nothing', async () => {
  const target = await testTarget();
  const database = `hostile4_${process.pid}`;
  const repo = hostileRepo({ 'schema/main/users.sql': TABLE, 'schemabranch.json': JSON.stringify({ database }) });
  const victim = await sleeper();
  try {
    // The attack as reported: another server on this machine (here the test run's), the pid of a process that is not it.
    plantState(repo, { pid: victim.pid, port: target.port ?? 3306, socketPath: target.socketPath ?? '/run/mysqld/mysqld.sock' });
    const push = await cli(['--dir', repo.root, 'branch', 'push', 'main'], FAIL_FAST);
    assert.notEqual(push.code, 0, push.stdout);
    assert.match(push.stderr, /Ignoring .*state\.json: .*names the socket .*nothing it names is used or stopped/s);
    assert.equal(await databaseExists(database), false, 'branch push ran on the server the state file named');

    // Right socket, wrong process: stop must not signal it.
    plantState(repo, { pid: victim.pid, port: 3306, socketPath: ownSocket(repo) });
    const stop = await cli(['--dir', repo.root, 'sandbox', 'stop'], FAIL_FAST);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stderr, new RegExp(`process ${victim.pid} \\(sleep\\) is not a server started on this sandbox's data folder`));
    assert.equal(alive(victim.pid), true, '`sandbox stop` killed an unrelated process');
    assert.equal(victim.exitCode, null);
  } finally {
    victim.kill();
    repo.remove();
  }
});

test('finding 4: a real mariadbd of another data folder is not this sandbox', async () => {
  const target = await testTarget();
  const theirs = JSON.parse(readFileSync(join(dirname(target.socketPath ?? ''), 'state.json'), 'utf8')) as { pid: number };
  const repo = hostileRepo({ 'schema/main/users.sql': TABLE, 'schemabranch.json': JSON.stringify({ database: 'hostile4b' }) });
  try {
    plantState(repo, { pid: theirs.pid, port: target.port ?? 3306, socketPath: ownSocket(repo) });
    const status = await cli(['--dir', repo.root, 'sandbox', 'status', '--json'], FAIL_FAST);
    assert.equal(status.code, 1);
    const out = JSON.parse(status.stdout) as { running: boolean; reason: string };
    assert.equal(out.running, false);
    assert.match(out.reason, new RegExp(`process ${theirs.pid} \\(mariadbd\\) is not a server started on this sandbox's data folder`));
    assert.equal(alive(theirs.pid), true);
  } finally {
    repo.remove();
  }
});

test('finding 4: the language server ignores the planted state too', async () => {
  const target = await testTarget();
  const database = `hostile4c_${process.pid}`;
  const repo = hostileRepo({ 'schema/main/users.sql': TABLE, 'schemabranch.json': JSON.stringify({ database }) });
  const victim = await sleeper();
  try {
    plantState(repo, { pid: victim.pid, port: target.port ?? 3306, socketPath: target.socketPath ?? '/run/mysqld/mysqld.sock' });
    const c = await startClient(repo.root, { initializationOptions: { sandboxBinary: '/bin/false' } });
    try {
      // Against the named server both would succeed; against our own (failing) sandbox they fail.
      await assert.rejects(c.conn.sendRequest(ListDeployRequests.type, {}), /Initialising the sandbox data folder failed/);
      await assert.rejects(c.conn.sendRequest(PushBranchRequest.type, { name: 'main' }), /Initialising the sandbox data folder failed/);
      // Shown as a warning (a window/showMessage request the test client does not record) and logged:
      assert.ok(c.notifications.some((n) => n.method === 'window/logMessage' && /Ignoring .*state\.json: .*names the socket/.test(JSON.stringify(n.params))), 'the editor says the state file was ignored');
    } finally {
      await c.close();
    }
    assert.equal(await databaseExists(database), false);
    assert.equal(alive(victim.pid), true);
  } finally {
    victim.kill();
    repo.remove();
  }
});
