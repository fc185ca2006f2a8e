import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWorkspaceConfig } from '../../src/config/load.js';
import { chooseServer, chooseServerUrl } from '../../src/db/credentials.js';
import { parseServerUrl, redactUrl, serverKey } from '../../src/db/target.js';

const repoConfig = (url?: string) => parseWorkspaceConfig(JSON.stringify(url ? { connection: { url } } : {}), '/w');

test('a password is saved for one user@host:port or socket key', () => {
  assert.equal(serverKey(parseServerUrl('mysql://app@DB.internal:3307')), 'app@db.internal:3307');
  assert.equal(serverKey(parseServerUrl('mysql://app@db.internal')), 'app@db.internal:3306');
  assert.equal(serverKey(parseServerUrl('mysql://root@localhost?socket=/run/mysqld.sock')), 'root@socket:/run/mysqld.sock');
});

test("SCHEMABRANCH_PASSWORD goes only to the URL the user gave, never to the repository's", () => {
  const env = { SCHEMABRANCH_PASSWORD: 'pw' };
  assert.throws(() => chooseServer(repoConfig('mysql://app@evil.example:3306'), { env }), /SCHEMABRANCH_PASSWORD is only sent to a server you name yourself, and app@evil\.example:3306 comes from the workspace's configuration\. Pass the URL alongside the password \(--url .* or SCHEMABRANCH_URL\)/);
  // The user's URL (flag, then environment) wins over the repository's and carries the password.
  const flag = chooseServer(repoConfig('mysql://app@evil.example:3306'), { userUrl: 'mysql://app@db:3306', env });
  assert.deepEqual(flag, { target: { host: 'db', port: 3306, socketPath: undefined, user: 'app', password: 'pw', tls: { mode: 'REQUIRED', explicit: false, ca: undefined, cert: undefined, key: undefined } }, source: 'user' });
  const fromEnv = chooseServer(repoConfig('mysql://app@evil.example:3306'), { env: { ...env, SCHEMABRANCH_URL: 'mysql://app@db:3306' } });
  assert.equal(fromEnv.target?.host, 'db');
  assert.equal(fromEnv.target?.password, 'pw');
  // Without a password in the environment the repository's URL is fine (no secret to lose).
  assert.equal(chooseServer(repoConfig('mysql://app@db:3306'), { env: {} }).target?.password, undefined);
  // No URL at all: the sandbox (no target, no error, whatever the environment holds).
  assert.deepEqual(chooseServer(repoConfig(), { env }), {});
});

test('a saved password is used only for the key it was saved for', () => {
  const saved = (key: string): string | undefined => ({ 'app@db:3306': 'secret' })[key];
  assert.equal(chooseServer(repoConfig('mysql://app@db:3306'), { env: {}, savedPassword: saved }).target?.password, 'secret');
  for (const other of ['mysql://app@db:3307', 'mysql://app@evil:3306', 'mysql://root@db:3306', 'mysql://app@localhost?socket=/tmp/x.sock']) {
    assert.equal(chooseServer(repoConfig(other), { env: {}, savedPassword: saved }).target?.password, undefined, other);
  }
  assert.deepEqual(chooseServerUrl(repoConfig('mysql://app@db:3306'), { env: {} }).source, 'workspace');
});

test('a URL with a password is never echoed back', () => {
  assert.equal(redactUrl('mysql://app:hunter2@db:3306'), 'mysql://app:***@db:3306');
  assert.equal(redactUrl('mysql://app:p@ss/w0rd@db:3306'), 'mysql://app:***@db:3306');
  assert.equal(redactUrl('mysql://app@db:3306'), 'mysql://app@db:3306');
  assert.doesNotMatch(String((() => { try { parseServerUrl('mysql://app:hunter 2@db:3306 x'); } catch (e) { return (e as Error).message; } })()), /hunter/);
  let message = '';
  try {
    parseWorkspaceConfig(JSON.stringify({ connection: { url: 'mysql://app:hunter2@db:3306' } }), '/w');
  } catch (err) {
    message = (err as Error).message;
  }
  assert.match(message, /connection\.url is "mysql:\/\/app:\*\*\*@db:3306"/);
  assert.doesNotMatch(message, /hunter2/);
});
