import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openConnection } from '../../src/db/connection.js';
import { parseServerUrl } from '../../src/db/target.js';
import { checkWorkspaceTls, parseTlsParams } from '../../src/db/tls.js';
import { startTlsServer } from '../../../test/support/certificates.js';

const params = (q: string) => new URLSearchParams(q);

test('ssl-* parameters: MySQL Shell modes, defaults by host, certificates that go together', () => {
  assert.deepEqual(parseTlsParams(params(''), 'db.example.com'), { mode: 'REQUIRED', explicit: false, ca: undefined, cert: undefined, key: undefined });
  assert.equal(parseTlsParams(params(''), '127.0.0.1').mode, 'PREFERRED');
  assert.equal(parseTlsParams(params(''), undefined).mode, 'PREFERRED', 'a Unix socket never leaves the machine');
  assert.equal(parseTlsParams(params('ssl-ca=/c.pem'), 'db.example.com').mode, 'VERIFY_CA');
  assert.deepEqual(parseTlsParams(params('ssl-mode=disabled'), 'db.example.com'), { mode: 'DISABLED', explicit: true, ca: undefined, cert: undefined, key: undefined });
  assert.throws(() => parseTlsParams(params('ssl-mode=ON'), 'h'), /ssl-mode=ON is not a TLS mode\. Use one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY/);
  assert.throws(() => parseTlsParams(params('ssl-mode=VERIFY_IDENTITY'), 'h'), /add ssl-ca=/);
  assert.throws(() => parseTlsParams(params('ssl-cert=/a.pem'), 'h'), /ssl-cert and ssl-key go together/);
  assert.equal(parseServerUrl('mysql://app@db.example.com:3306?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ca.pem').tls?.ca, '/etc/ca.pem');
});

test("a URL from the repository reads no certificate outside the workspace and cannot weaken TLS to a remote host", () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-tls-ws-'));
  const inside = checkWorkspaceTls(root, parseTlsParams(params('ssl-ca=certs/ca.pem'), 'db.example.com'), 'db.example.com');
  assert.equal(inside.ca, join(root, 'certs', 'ca.pem'));
  assert.throws(() => checkWorkspaceTls(root, parseTlsParams(params('ssl-ca=/etc/ssl/private/ca.pem'), 'db.example.com'), 'db.example.com'), /connection\.url's ssl-ca "\/etc\/ssl\/private\/ca\.pem" is outside the workspace/);
  assert.throws(() => checkWorkspaceTls(root, parseTlsParams(params('ssl-key=../k.pem&ssl-cert=c.pem'), 'h.example'), 'h.example'), /ssl-key "\.\.\/k\.pem" is outside/);
  assert.throws(() => checkWorkspaceTls(root, parseTlsParams(params('ssl-mode=DISABLED'), 'db.example.com'), 'db.example.com'), /asks for ssl-mode=DISABLED to db\.example\.com.*pass the URL yourself/);
  assert.equal(checkWorkspaceTls(root, parseTlsParams(params('ssl-mode=DISABLED'), '127.0.0.1'), '127.0.0.1').mode, 'DISABLED', 'loopback never leaves the machine');
  rmSync(root, { recursive: true, force: true });
});

test('against a server that requires TLS: plain is refused with what to add, VERIFY_CA works, VERIFY_IDENTITY refuses a wrong host name', async () => {
  const { pem, started, stop } = await startTlsServer('sb-tls-');
  try {
    // Over the socket (secure by the server's rules) make a TCP account for the test.
    const admin = await openConnection(started);
    await admin.query("CREATE USER 'tls'@'127.0.0.1', 'tls'@'localhost'");
    await admin.end();
    const base = `mysql://tls@127.0.0.1:${started.port}`;
    // MariaDB refuses the plain login as "access denied"; the message must still point at ssl-mode.
    await assert.rejects(openConnection(parseServerUrl(`${base}?ssl-mode=DISABLED`)), /only accepts encrypted connections.*add ssl-mode=REQUIRED to the connection URL/);
    // The same account over TLS gets in: the refusal above was the transport, not the account.
    const required = await openConnection(parseServerUrl(`${base}?ssl-mode=REQUIRED`));
    await required.end();

    const conn = await openConnection(parseServerUrl(`${base}?ssl-mode=VERIFY_CA&ssl-ca=${encodeURIComponent(pem.ca)}`));
    try {
      const [rows] = await conn.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
      assert.notEqual((rows as Array<{ Value: string }>)[0]?.Value, '', 'the session is encrypted');
    } finally {
      await conn.end();
    }
    await assert.rejects(openConnection(parseServerUrl(`${base}?ssl-mode=VERIFY_IDENTITY&ssl-ca=${encodeURIComponent(pem.ca)}`)), /Hostname\/IP does not match certificate's altnames.*DNS:db\.test/);
  } finally {
    await stop();
  }
});
