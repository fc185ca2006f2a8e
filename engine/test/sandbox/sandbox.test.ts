import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createConnection } from 'mysql2/promise';
import { Sandbox } from '../../src/sandbox/sandbox.js';

test('a sandbox starts, is reused, survives a stale state file, and stops', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sandbox-'));
  const sandbox = new Sandbox({ dir });
  try {
    const target = await sandbox.start();
    const conn = await createConnection(target);
    const [rows] = await conn.query('SELECT VERSION() AS v');
    await conn.end();
    assert.match((rows as Array<{ v: string }>)[0].v, /\d+\.\d+/);

    const again = await sandbox.start();
    assert.equal(again.port, target.port, 'a running sandbox is reused, not restarted');

    await sandbox.stop();
    const after = await sandbox.status();
    assert.equal(after.running, false);

    // A crash leaves a state file naming a dead process; start() must see through it.
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ pid: 999999, port: 1, socketPath: join(dir, 'gone.sock'), flavor: 'mariadb', server: 'x', startedAt: '' }));
    const restarted = await sandbox.start();
    const c2 = await createConnection(restarted);
    await c2.query('SELECT 1');
    await c2.end();
  } finally {
    await sandbox.destroy();
  }
});
