import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { OnlineMigration } from '../../src/migration/index.js';
import { freshDatabase } from '../../../test/support/server.js';
import { BASE_TABLE, exec, tableNames } from './scenario.js';
import { compareWithAcks, WriterPool } from './writers.js';

const ROWS = 30_000;

test('zero loss when the engine process is killed with SIGKILL mid-copy and a new process resumes', async () => {
  const { target, database, drop } = await freshDatabase('migkill');
  const writers = new WriterPool(target, database, 'items');
  const id = 3_000_000 + Math.floor(Math.random() * 1_000_000);
  try {
    await exec(target, database, BASE_TABLE(database, 'items'));
    await writers.seed(ROWS);
    await writers.start();
    await writers.progress(10);

    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'copy-child.ts'), JSON.stringify(target), database, String(id)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((r) => child.on('exit', (code, signal) => r(signal ?? code)));
    let copiedAtKill = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      const msg = JSON.parse(line) as { rowsCopied?: number; done?: boolean };
      assert.ok(!msg.done, 'the copy finished before the test could kill it');
      if ((msg.rowsCopied ?? 0) >= 5000) {
        copiedAtKill = msg.rowsCopied!;
        child.kill('SIGKILL');
        break;
      }
    }
    assert.equal(await exited, 'SIGKILL', stderr);
    // Writes go on with the engine dead: the triggers keep capturing them.
    await writers.progress(30);

    const m = await OnlineMigration.load(target, id);
    assert.ok(m, 'the migration is recorded on the server');
    assert.equal(m.phase, 'copying');
    const resumedFrom = m.progress()[0]!.rowsCopied;
    assert.ok(resumedFrom >= 5000 && resumedFrom < ROWS, `resumes from its checkpoint (${resumedFrom})`);
    await m.copy();
    const { stallMs } = await m.cutOver();
    m.startWindowSync(50);
    await writers.progress(30);
    await writers.hold();
    const mid = await compareWithAcks(target, database, 'items', writers.acks);
    writers.unhold();
    assert.deepEqual({ missing: mid.missing, extra: mid.extra, different: mid.different }, { missing: [], extra: [], different: [] });
    await writers.progress(30);
    await m.revert();
    await writers.stop();
    const end = await compareWithAcks(target, database, 'items', writers.acks);
    console.log(`[killed mid-copy at ${copiedAtKill} rows, resumed from ${resumedFrom}] writes acknowledged: ${writers.acks.acknowledged}, not acknowledged: ${writers.acks.failed}, rows compared: mid-window ${mid.compared}, after revert ${end.compared}; cut-over stall ${stallMs} ms`);
    assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] });
    assert.deepEqual(await tableNames(target, database), ['items']);
    await m.finish();
    await m.close();
  } finally {
    await writers.stop().catch(() => undefined);
    await drop();
  }
});
