import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadWorkspaceConfig } from '../../src/config/load.js';
import { openConnection, resolveServer, withConnection, workspaceSandbox } from '../../src/db/connection.js';

test("a configured URL is used as is; a password goes only with the URL it was given for", async () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-resolve-'));
  try {
    writeFileSync(join(root, 'schemabranch.json'), JSON.stringify({ connection: { url: 'mysql://app@db.internal:3307' } }));
    const config = loadWorkspaceConfig(root);
    const tls = { mode: 'REQUIRED', explicit: false, ca: undefined, cert: undefined, key: undefined };
    assert.deepEqual(await resolveServer(root, config, { env: {} }), { host: 'db.internal', port: 3307, socketPath: undefined, user: 'app', password: undefined, tls });
    // The repository's URL never gets the environment's password: the run stops before connecting.
    await assert.rejects(resolveServer(root, config, { env: { SCHEMABRANCH_PASSWORD: 'from-env' } }), /only sent to a server you name yourself.*--url/);
    const mine = { userUrl: 'mysql://app@db.internal:3307', env: { SCHEMABRANCH_PASSWORD: 'from-env' } };
    assert.equal((await resolveServer(root, config, mine)).password, 'from-env');
    const saved = (key: string): string | undefined => (key === 'app@db.internal:3307' ? 'from-secrets' : undefined);
    assert.equal((await resolveServer(root, config, { savedPassword: saved, env: {} })).password, 'from-secrets');
    await assert.rejects(openConnection({ host: '127.0.0.1', port: 1, user: 'x' }), /Nothing answers at x@127\.0\.0\.1:1.*Retrying is safe/);

    // TLS settings from the repository: certificates inside it only, and no plain connection to a remote host; the user's own URL may.
    const weak = 'mysql://app@db.internal:3307?ssl-mode=DISABLED';
    writeFileSync(join(root, 'schemabranch.json'), JSON.stringify({ connection: { url: weak } }));
    await assert.rejects(resolveServer(root, loadWorkspaceConfig(root), { env: {} }), /asks for ssl-mode=DISABLED to db\.internal/);
    assert.equal((await resolveServer(root, loadWorkspaceConfig(root), { env: {}, userUrl: weak })).tls?.mode, 'DISABLED');
    writeFileSync(join(root, 'schemabranch.json'), JSON.stringify({ connection: { url: 'mysql://app@db.internal:3307?ssl-ca=/etc/passwd' } }));
    await assert.rejects(resolveServer(root, loadWorkspaceConfig(root), { env: {} }), /ssl-ca "\/etc\/passwd" is outside the workspace/);
    writeFileSync(join(root, 'schemabranch.json'), JSON.stringify({ connection: { url: 'mysql://app@db.internal:3307?ssl-ca=certs/ca.pem' } }));
    assert.equal((await resolveServer(root, loadWorkspaceConfig(root), { env: {} })).tls?.ca, join(root, 'certs', 'ca.pem'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('without a URL the workspace sandbox is started on demand and reused', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-resolve-'));
  const config = loadWorkspaceConfig(root);
  try {
    const first = await resolveServer(root, config);
    assert.ok(existsSync(join(root, '.schemabranch', 'sandbox', 'state.json')), 'the sandbox lives in <root>/.schemabranch/sandbox');
    const again = await resolveServer(root, config);
    assert.equal(again.port, first.port, 'the running sandbox is reused');
    const version = await withConnection(first, undefined, async (conn) => {
      const [rows] = await conn.query('SELECT VERSION() AS v');
      return (rows as Array<{ v: string }>)[0].v;
    });
    assert.match(version, /^\d+\.\d+/);
  } finally {
    await workspaceSandbox(config).destroy();
    rmSync(root, { recursive: true, force: true });
  }
});
