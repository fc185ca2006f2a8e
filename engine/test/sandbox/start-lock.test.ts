import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { withStartLock } from '../../src/sandbox/start-lock.js';

test('the start lock lets one starter in at a time and takes over a lock whose owner died', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-lock-'));
  try {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => (releaseFirst = r));
    let firstEntered!: () => void;
    const entered = new Promise<void>((r) => (firstEntered = r));
    const first = withStartLock(dir, 10_000, async () => {
      order.push('first in');
      firstEntered();
      await firstHolds;
      order.push('first out');
    });
    await entered;
    const second = withStartLock(dir, 10_000, async () => {
      order.push('second in');
    });
    assert.ok(existsSync(join(dir, 'start.lock')));
    releaseFirst();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first in', 'first out', 'second in']);
    assert.equal(existsSync(join(dir, 'start.lock')), false, 'released');

    // A lock left by a dead process (pid far above pid_max) is stale.
    writeFileSync(join(dir, 'start.lock'), '99999999');
    assert.equal(await withStartLock(dir, 10_000, async () => 'taken over'), 'taken over');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two starters on a fresh sandbox folder get one server', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'sb-race-')), 'sandbox');
  mkdirSync(dir);
  const a = new Sandbox({ dir });
  const b = new Sandbox({ dir });
  try {
    const [ta, tb] = await Promise.all([a.start(), b.start()]);
    assert.equal(ta.port, tb.port, 'both starters reach the same server');
    const status = await a.status();
    assert.ok(status.running);
  } finally {
    await a.destroy();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});
