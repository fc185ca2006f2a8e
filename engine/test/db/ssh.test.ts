/**
 * SSH tunnels (issue 11) through a real sshd the test starts on a loopback
 * port, with keys it generates: the server is reached through the tunnel; a
 * bastion whose host key is not in known_hosts, or differs from it, is
 * refused before anything is sent; a tunnel comes only from the user.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createConnection } from 'mysql2/promise';
import { parseWorkspaceConfig } from '../../src/config/load.js';
import { resolveServer } from '../../src/db/connection.js';
import { knownKeys, SshHostKeyError, SshKeyPassphraseError, sshSettings } from '../../src/db/ssh.js';
import { testTarget } from '../../../test/support/server.js';
import { waitUntil } from '../../../test/support/wait.js';

const SSHD = '/usr/sbin/sshd';
const dir = mkdtempSync(join(tmpdir(), 'sb-sshd-'));
let sshd: ChildProcess | undefined;
let port = 0;
let hostKeyLine = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function keygen(file: string, passphrase = ''): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

before(async () => {
  assert.ok(existsSync(SSHD), `${SSHD} is missing: .ci/run installs Debian's openssh-server; install it to run this test.`);
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'client_key'));
  keygen(join(dir, 'locked_key'), 'open sesame');
  writeFileSync(join(dir, 'authorized_keys'), [readFileSync(join(dir, 'client_key.pub')), readFileSync(join(dir, 'locked_key.pub'))].join(''));
  mkdirSync('/run/sshd', { recursive: true });
  port = await freePort();
  const opts = {
    ListenAddress: '127.0.0.1',
    HostKey: join(dir, 'host_key'),
    AuthorizedKeysFile: join(dir, 'authorized_keys'),
    PidFile: join(dir, 'sshd.pid'),
    StrictModes: 'no',
    UsePAM: 'no',
    PasswordAuthentication: 'no',
    KbdInteractiveAuthentication: 'no',
    PermitRootLogin: 'prohibit-password',
    AllowTcpForwarding: 'yes',
  };
  sshd = spawn(SSHD, ['-D', '-e', '-p', String(port), '-f', '/dev/null', ...Object.entries(opts).flatMap(([k, v]) => ['-o', `${k}=${v}`])], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  sshd.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await waitUntil(() => /Server listening/.test(log) || sshd!.exitCode !== null, 'sshd started', { timeoutMs: 10_000 });
  assert.equal(sshd.exitCode, null, `sshd did not start: ${log}`);
  hostKeyLine = `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`;
});

after(() => {
  sshd?.stderr?.destroy();
  sshd?.unref();
  sshd?.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function viaTunnel(knownHosts: string, key = 'client_key', more: { env?: Record<string, string>; saved?: Record<string, string> } = {}) {
  const db = await testTarget();
  writeFileSync(join(dir, 'known_hosts'), knownHosts);
  const config = parseWorkspaceConfig(JSON.stringify({ database: 'app' }), dir);
  const env = { SCHEMABRANCH_SSH_KNOWN_HOSTS: join(dir, 'known_hosts'), ...more.env };
  const savedPassphrase = (file: string) => more.saved?.[file];
  return resolveServer(dir, config, { userUrl: `mysql://${db.user}@127.0.0.1:${db.port}`, ssh: `ssh://${userInfo().username}@127.0.0.1:${port}`, sshKey: join(dir, key), env, savedPassphrase });
}

async function selectsThrough(t: { host?: string; port?: number; user: string }): Promise<number> {
  const c = await createConnection({ host: t.host, port: t.port, user: t.user });
  try {
    const [[row]] = (await c.query('SELECT @@port AS p')) as unknown as [[{ p: number }]];
    return Number(row.p);
  } finally {
    await c.end();
  }
}

test('the server is reached through the tunnel', async () => {
  const db = await testTarget();
  const t = await viaTunnel(hostKeyLine);
  assert.equal(t.host, '127.0.0.1');
  assert.notEqual(t.port, db.port, 'the target is the tunnel, not the server');
  const c = await createConnection({ host: t.host, port: t.port, user: t.user });
  try {
    const [[row]] = (await c.query('SELECT 1 + 1 AS two, @@port AS p')) as unknown as [[{ two: number; p: number }]];
    assert.deepEqual({ two: Number(row.two), p: Number(row.p) }, { two: 2, p: db.port });
  } finally {
    await c.end();
  }
});

test('a bastion missing from known_hosts is refused, with its fingerprint and how to add it', async () => {
  await assert.rejects(viaTunnel(''), (err: unknown) => err instanceof SshHostKeyError && /is not in .*known_hosts: refusing to connect .*SHA256:.*ssh-keyscan -p \d+ 127\.0\.0\.1/.test(err.message));
});

test('a bastion whose key differs from known_hosts is refused', async () => {
  keygen(join(dir, 'other_key'));
  const other = `[127.0.0.1]:${port} ${readFileSync(join(dir, 'other_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`;
  await assert.rejects(viaTunnel(other), (err: unknown) => err instanceof SshHostKeyError && /is not the one .* holds for it: refusing to connect/.test(err.message));
});

test('tunnel settings come from the user only, and known_hosts is read plain or hashed', () => {
  assert.equal(sshSettings({ env: {} }), undefined);
  assert.deepEqual(sshSettings({ ssh: 'deploy@bastion.example.com', env: { SCHEMABRANCH_SSH_KNOWN_HOSTS: '/k' } }), { host: 'bastion.example.com', port: 22, user: 'deploy', identityFile: undefined, knownHosts: '/k' });
  assert.throws(() => sshSettings({ ssh: 'ssh://u:secret@b', env: {} }), /contains a password/);
  const hashed = '|1|' + 'c2FsdHNhbHRzYWx0c2FsdHNhbHQ=' + '|';
  const { createHmac } = require('node:crypto') as typeof import('node:crypto');
  const h = createHmac('sha1', Buffer.from('c2FsdHNhbHRzYWx0c2FsdHNhbHQ=', 'base64')).update('[db.example.com]:2222').digest('base64');
  assert.deepEqual(knownKeys(`${hashed}${h} ssh-ed25519 AAAAkey1\nother.example.com ssh-ed25519 AAAAkey2\n@revoked [db.example.com]:2222 ssh-ed25519 AAAAkey3\n`, 'db.example.com', 2222), ['AAAAkey1']);
  // schemabranch.json has no place for a tunnel: the config loader names the key as unknown.
  assert.throws(() => parseWorkspaceConfig(JSON.stringify({ database: 'app', connection: { ssh: { host: 'evil.example.com', user: 'x' } } }), dir), /ssh/);
});

test('a key with a passphrase: refused without it or with a wrong one, saying where to give it; opened by the environment or the editor\'s saved secret', async () => {
  const db = await testTarget();
  await assert.rejects(viaTunnel(hostKeyLine, 'locked_key'), (err: unknown) => err instanceof SshKeyPassphraseError && /locked_key is protected by a passphrase\. .*SCHEMABRANCH_SSH_PASSPHRASE.*Set SSH Key Passphrase/.test(err.message));
  await assert.rejects(viaTunnel(hostKeyLine, 'locked_key', { env: { SCHEMABRANCH_SSH_PASSPHRASE: 'wrong' } }), (err: unknown) => err instanceof SshKeyPassphraseError && /does not open it/.test(err.message));
  // The passphrase never appears in what a failure says.
  await assert.rejects(viaTunnel(hostKeyLine, 'locked_key', { env: { SCHEMABRANCH_SSH_PASSPHRASE: 'wrong' } }), (err: unknown) => !(err as Error).message.includes('wrong'));
  const fromEnv = await viaTunnel(hostKeyLine, 'locked_key', { env: { SCHEMABRANCH_SSH_PASSPHRASE: 'open sesame' } });
  assert.equal(await selectsThrough(fromEnv), db.port);
  // The editor's secret is bound to the key file: a passphrase saved for another key is not tried on this one.
  await assert.rejects(viaTunnel(hostKeyLine, 'locked_key', { saved: { [join(dir, 'client_key')]: 'open sesame' } }), SshKeyPassphraseError);
  const fromEditor = await viaTunnel(hostKeyLine, 'locked_key', { saved: { [join(dir, 'locked_key')]: 'open sesame' } });
  assert.equal(await selectsThrough(fromEditor), db.port);
});
