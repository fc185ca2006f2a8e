import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { OnlineMigration } from '../../src/migration/index.js';
import { freshDatabase } from '../../../test/support/server.js';
import { BASE_TABLE, exec, tableNames } from './scenario.js';
import { compareWithAcks, WriterPool } from './writers.js';

test('zero loss when the engine process is killed with SIGKILL inside the revert window and a new process reverts', async () => {
  const { target, database, drop } = await freshDatabase('migkillw');
  const writers = new WriterPool(target, database, 'items');
  const id = 9_000_000 + Math.floor(Math.random() * 1_000_000);
  try {
    await exec(target, database, BASE_TABLE(database, 'items'));
    await writers.seed(10_000);
    await writers.start();
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'copy-child.ts'), JSON.stringify(target), database, String(id), 'window'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((r) => child.on('exit', (code, signal) => r(signal ?? code)));
    for await (const line of createInterface({ input: child.stdout })) {
      if ((JSON.parse(line) as { cut?: boolean }).cut) break;
    }
    await writers.progress(20);
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL', stderr);
    // The engine is dead; the new table's triggers keep capturing for the old table.
    await writers.progress(40);

    const m = await OnlineMigration.load(target, id);
    assert.equal(m?.phase, 'cut_over');
    assert.equal((await m.preflightRevert()).ok, true);
    await m.revert();
    await writers.stop();
    const end = await compareWithAcks(target, database, 'items', writers.acks);
    console.log(`[killed inside the revert window] writes acknowledged: ${writers.acks.acknowledged}, not acknowledged: ${writers.acks.failed}, rows compared after revert: ${end.compared}`);
    assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] });
    assert.deepEqual(await tableNames(target, database), ['items']);
    await m.close();
  } finally {
    await writers.stop().catch(() => undefined);
    await drop();
  }
});
