/**
 * A whole deploy against a server that accepts only encrypted connections
 * (require_secure_transport=ON), reached over TCP with ssl-mode=VERIFY_CA:
 * every connection of the deploy (the store, the engine's sessions, the copy,
 * the swap) goes over TLS, none falls back to plain text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { openConnection } from '../../src/db/connection.js';
import { parseServerUrl } from '../../src/db/target.js';
import { startTlsServer } from '../../../test/support/certificates.js';
import { fixture } from './fixture.js';

test('a deploy and its revert against a server that requires TLS: every connection is encrypted', async () => {
  const { pem, started, stop } = await startTlsServer('sb-tls-deploy-');
  try {
    const admin = await openConnection(started);
    await admin.query("CREATE USER 'deployer'@'127.0.0.1'");
    await admin.query("GRANT ALL PRIVILEGES ON *.* TO 'deployer'@'127.0.0.1'");
    await admin.end();
    const target = parseServerUrl(`mysql://deployer@127.0.0.1:${started.port}?ssl-mode=VERIFY_CA&ssl-ca=${encodeURIComponent(pem.ca)}`);
    const f = await fixture({ rows: 2000, target });
    try {
      const r = await f.dr.create(f.branch);
      const done = await f.dr.deploy(r.id);
      assert.equal(done.state, 'complete_pending_revert', JSON.stringify(done.error));
      assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
      const reverted = await f.dr.revert(r.id);
      assert.equal(reverted.state, 'complete_revert');
      assert.deepEqual(await f.columns('users'), ['id', 'email']);
      // The server would have refused any plain connection; it also counts none that got in without TLS.
      const [plain] = await f.conn.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = 'deployer'");
      assert.ok(Number(plain[0].n) >= 1);
      const [cipher] = await f.conn.query<RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
      assert.notEqual(String(cipher[0].Value), '', "the test's own connection is encrypted too");
    } finally {
      await f.cleanup();
    }
  } finally {
    await stop();
  }
});
