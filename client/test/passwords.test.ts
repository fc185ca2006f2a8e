import assert from 'node:assert/strict';
import { test } from 'node:test';
import { whyUntrusted } from '../src/failure.js';
import { busyDeploy, isPasswordSecret, LEGACY_PASSWORD_SECRET, passphraseQuestion, passwordQuestion, savedPasswordsValue, secretName } from '../src/passwords.js';
import type { DeployRequestInfo } from '../src/protocol.js';

test('one secret per server, never the old unbound one', () => {
  assert.equal(secretName('app@db.internal:3306'), 'schemabranch.password/app@db.internal:3306');
  assert.notEqual(secretName('app@db.internal:3306'), secretName('app@db.internal:3307'));
  assert.equal(isPasswordSecret(secretName('root@socket:/run/mysqld.sock')), true);
  assert.equal(isPasswordSecret(LEGACY_PASSWORD_SECRET), false);
  assert.deepEqual(JSON.parse(savedPasswordsValue(new Map([['app@db:3306', 'pw']]))), { 'app@db:3306': 'pw' });
});

test('Set Password names the server the password is bound to, and where that server came from', () => {
  const q = passwordQuestion({ source: 'workspace', key: 'app@db.internal:3306' });
  assert.ok('prompt' in q);
  assert.equal(q.key, 'app@db.internal:3306');
  assert.match(q.prompt, /^Password for app@db\.internal:3306 \(from this workspace's connection\.url\)\..*sent only to app@db\.internal:3306/);
  assert.match((passwordQuestion({ source: 'user', key: 'app@db:3306' }) as { prompt: string }).prompt, /from your SCHEMABRANCH_URL/);
  assert.match((passwordQuestion({ source: 'sandbox' }) as { refusal: string }).refusal, /embedded sandbox, which needs no password/);
  assert.match((passwordQuestion({ source: 'workspace', problem: 'The connection URL must start with mysql://' }) as { refusal: string }).refusal, /cannot be used: The connection URL must start/);
});

test('Restricted Mode: a database command says why it does not run and what trust would change', () => {
  assert.match(whyUntrusted('Deploy'), /^Deploy needs a trusted workspace\. In Restricted Mode .* starts no server, connects to no database and sends no password.* Trust this workspace to use Deploy\.$/);
});

test('a password change waits while a deploy of this window runs', () => {
  const dr = (number: number, state: DeployRequestInfo['state']): DeployRequestInfo => ({ number, branch: 'b', into: 'main', state, deployable: true, createdAt: '', updatedAt: '' });
  assert.equal(busyDeploy([dr(1, 'complete'), dr(2, 'open')]), undefined);
  assert.equal(busyDeploy([dr(1, 'complete'), dr(3, 'in_progress')])?.number, 3);
});

test('Set SSH Key Passphrase names the key file and the tunnel; its secret can never be mistaken for a server', () => {
  const q = passphraseQuestion({ sshAddress: 'ssh://deploy@bastion.example.com', sshKeyFile: ' /home/me/.ssh/id_ed25519 ' });
  assert.ok('prompt' in q);
  assert.equal(q.key, 'ssh-key:/home/me/.ssh/id_ed25519');
  assert.ok(!q.key.includes('@'), 'a server key always has an @; this one never does');
  assert.match(q.prompt, /^Passphrase for the SSH key \/home\/me\/\.ssh\/id_ed25519 \(the tunnel through ssh:\/\/deploy@bastion\.example\.com\)\..*only opens that key file/);
  assert.match((passphraseQuestion({ sshAddress: 'ssh://deploy@bastion' }) as { refusal: string }).refusal, /No SSH key file is set: set schemabranch\.ssh\.address and schemabranch\.ssh\.keyFile/);
  assert.ok('refusal' in passphraseQuestion({ sshKeyFile: '/k' }), 'a key file without a tunnel opens nothing');
});
