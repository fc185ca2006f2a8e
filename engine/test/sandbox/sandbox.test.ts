import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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
    // Production writes a ROW binary log, so the sandbox every test and the benchmark run on does too.
    const [log] = await conn.query('SELECT @@log_bin AS bin, @@binlog_format AS format, @@sync_binlog AS sync, @@server_id AS id, @@log_bin_trust_function_creators AS trust');
    await conn.end();
    assert.match((rows as Array<{ v: string }>)[0].v, /\d+\.\d+/);
    assert.deepEqual({ ...(log as object[])[0] }, { bin: 1, format: 'ROW', sync: 1, id: 1, trust: 1 });
    assert.ok(
      readdirSync(join(dir, 'data')).some((f) => /^binlog\.\d+$/.test(f)),
      'the binary log is written inside the sandbox data folder',
    );

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
