import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { countIds, fixture, writer, type Fixture } from './fixture.js';
import type { StateChange } from '../../src/deploy/events.js';

/** Resolves when the server's clock has passed `deadline` (checked against the server, which sets deadlines). */
async function serverPassed(f: Fixture, deadline: string): Promise<void> {
  const sqlTime = deadline.replace('T', ' ').replace('Z', '');
  for (;;) {
    const [r] = await f.conn.query<RowDataPacket[]>('SELECT UTC_TIMESTAMP(3) >= ? AS passed', [sqlTime]);
    if (Number(r[0].passed) === 1) return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

test('a revert window that expired while nothing ran is finished by the next engine start', async () => {
  const f = await fixture({ rows: 50, revertWindowSeconds: 1 });
  try {
    const r = await f.dr.create(f.branch);
    const deployed = await f.dr.deploy(r.id);
    assert.equal(deployed.state, 'complete_pending_revert');
    await f.dr.dispose(); // the process that deployed is gone
    await serverPassed(f, deployed.windowDeadline!);
    assert.ok((await f.tables()).some((t) => /_sb\d+_old$/.test(t)), 'nothing dropped the old table yet');

    const restarted = f.another();
    const report = await restarted.reconcile();
    assert.ok(report.finished.includes(r.id));
    const after = await restarted.show(r.id);
    assert.equal(after.state, 'complete');
    assert.ok(after.finishedAt);
    assert.deepEqual((await f.tables()).filter((t) => /_sb\d+_(new|old)$/.test(t)), []);
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
    assert.ok((await restarted.history(r.id)).some((e) => e.toState === 'complete' && /revert window closed/.test(e.message)));
  } finally {
    await f.cleanup();
  }
});

test('revert after the deadline is refused and closes the window', async () => {
  const f = await fixture({ rows: 10, revertWindowSeconds: 1 });
  try {
    const r = await f.dr.create(f.branch);
    const deployed = await f.dr.deploy(r.id);
    await serverPassed(f, deployed.windowDeadline!);
    await assert.rejects(f.dr.revert(r.id), /can no longer be reverted: its revert window closed at/);
    assert.equal((await f.dr.show(r.id)).state, 'complete');
  } finally {
    await f.cleanup();
  }
});

test('a long-lived host closes the window at its deadline by itself', async () => {
  const f = await fixture({ rows: 10, revertWindowSeconds: 1 });
  try {
    const stop = f.dr.watchRevertWindows();
    try {
      const r = await f.dr.create(f.branch);
      const completed = new Promise<StateChange>((resolve) => {
        f.dr.events.on('state', (s) => {
          if (s.id === r.id && s.state === 'complete') resolve(s);
        });
      });
      await f.dr.deploy(r.id);
      const s = await completed;
      assert.equal(s.previous, 'complete_pending_revert');
      assert.deepEqual((await f.tables()).filter((t) => /_sb\d+_(new|old)$/.test(t)), []);
    } finally {
      stop();
    }
  } finally {
    await f.cleanup();
  }
});

async function killedMidCopy(f: Fixture, id: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'deploy-child.ts')], {
    env: { ...process.env, SCHEMABRANCH_CHILD: JSON.stringify({ target: f.target, main: f.main, id }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.setEncoding('utf8');
  let out = '';
  const copying = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.includes('copying')) resolve();
      if (/finished|failed/.test(out)) reject(new Error(`the child deploy did not stop mid-copy: ${out}`));
    });
    child.once('exit', () => reject(new Error(`the child exited early: ${out}`)));
  });
  await copying;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

test('a deploy whose process died mid-copy is resumed from its checkpoints by reconcile(), losing no write', async () => {
  const f = await fixture({ rows: 20_000 });
  try {
    const r = await f.dr.create(f.branch);
    // The application keeps writing through the crash and the resume.
    const w = writer(f.target, f.main);
    await killedMidCopy(f, r.id);
    const stuck = await f.dr.show(r.id);
    assert.equal(stuck.state, 'in_progress');
    assert.ok(stuck.migrationId);

    const restarted = f.another();
    const report = await restarted.reconcile();
    assert.deepEqual(report.resumed, [r.id]);
    const written = await w.stop();
    const after = await restarted.show(r.id);
    assert.equal(after.state, 'complete_pending_revert');
    assert.ok(written.length > 0);
    assert.equal(await countIds(f.conn, written), written.length);
    assert.equal(await f.count(), 20_000 + written.length);
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
    assert.ok((await restarted.history(r.id)).some((e) => /resumed by .* after the deploying process .* stopped/.test(e.message)));
  } finally {
    await f.cleanup();
  }
});

test('without resuming, a dead deploy becomes error_retryable, and deploying again resumes it', async () => {
  const f = await fixture({ rows: 20_000 });
  try {
    const r = await f.dr.create(f.branch);
    await killedMidCopy(f, r.id);
    const restarted = f.another();
    const report = await restarted.reconcile({ resume: false });
    assert.deepEqual(report.failed, [r.id]);
    const failed = await restarted.show(r.id);
    assert.equal(failed.state, 'error_retryable');
    assert.equal(failed.error?.retrySafe, true);
    assert.match(failed.error?.next ?? '', /deploy-request deploy/);

    const done = await restarted.deploy(r.id);
    assert.equal(done.state, 'complete_pending_revert');
    assert.equal(done.migrationId, failed.migrationId, 'the same migration was resumed, not started over');
    assert.equal(done.error, null);
    assert.equal(await f.count(), 20_000);
  } finally {
    await f.cleanup();
  }
});
