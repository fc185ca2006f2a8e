/**
 * The database server itself dies mid-copy (SIGKILL to mariadbd, as an OOM
 * kill or a power cut of the database host would) while the application keeps
 * trying to write. After the server is back, the deploy request says what
 * happened, deploying again resumes the same migration, and every write the
 * server acknowledged, before the crash and after it, is in the table.
 * A private server: the run's shared one must not be killed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import type { ServerTarget } from '../../src/db/target.js';
import { connect } from '../../../test/support/server.js';
import { waitUntil } from '../../../test/support/wait.js';
import { fixture } from './fixture.js';
import { runner } from './runner.js';

/** Inserts users one by one; on a lost connection waits for the server and goes on. Every acknowledged id is kept. */
function stubbornWriter(target: ServerTarget, database: string) {
  const acked: number[] = [];
  let failed = 0;
  let stop = false;
  const done = (async () => {
    let conn: Connection | undefined;
    for (let n = 0; !stop; n++) {
      try {
        conn ??= await connect(target, database);
        const [res] = await conn.query(`INSERT INTO users (email) VALUES (?)`, [`k${n}@example.com`]);
        acked.push((res as { insertId: number }).insertId);
      } catch {
        failed++;
        conn?.destroy();
        conn = await reconnect();
      }
    }
    await conn?.end();
  })();
  /** The next connection the server accepts (none once the writer is stopped). */
  async function reconnect(): Promise<Connection | undefined> {
    let conn: Connection | undefined;
    await waitUntil(async () => stop || (conn = await connect(target, database).catch(() => undefined)) !== undefined, 'the server accepts connections again', { timeoutMs: 120_000, intervalMs: 20 });
    return conn;
  }
  return {
    acked,
    failures: () => failed,
    async stop(): Promise<void> {
      stop = true;
      await done;
    },
  };
}

/** SIGKILL to the server process, as an OOM kill or a power cut of the database host would; returns once the application has seen it gone. */
async function killServer(sandbox: Sandbox, w: ReturnType<typeof stubbornWriter>): Promise<void> {
  const status = await sandbox.status();
  assert.ok(status.running);
  process.kill(status.state.pid, 'SIGKILL');
  await waitUntil(() => w.failures() > 0, 'the application sees the server gone');
}

test('the database server killed mid-copy and restarted: the request says so, deploying again resumes it, no acknowledged write is lost', async () => {
  const sandbox = new Sandbox({ dir: mkdtempSync(join(tmpdir(), 'sb-killed-')) });
  const target = await sandbox.start();
  const f = await fixture({ rows: 20_000, target });
  const w = stubbornWriter(target, f.main);
  try {
    const r = await f.dr.create(f.branch);
    // A process that outlives the database server's restart, as the editor's language server does.
    const editor = f.another();
    await editor.list();
    const run = runner(f, r.id);
    await run.next((l) => (l.progress?.rowsCopied ?? 0) >= 3000, 'a few thousand rows copied');
    await waitUntil(() => w.acked.length >= 20, 'the writer has written');
    const copying = await f.dr.show(r.id);
    assert.ok(copying.migrationId);
    await killServer(sandbox, w);
    // The deploying process finds its server gone; whatever it does, it must end.
    await run.next((l) => l.end !== undefined, 'the child deploy ends').catch((err: unknown) => assert.match(String(err), /failed while waiting|ended|exited/));
    await run.exit;

    await sandbox.start();
    const ackedAtRestart = w.acked.length;
    await waitUntil(() => w.acked.length >= ackedAtRestart + 20, 'the writer writes again after the restart', { timeoutMs: 60_000 });

    // The editor's language server lives through the restart: asked to deploy again, it finds the
    // request's process gone (its server took its locks away), records that, and resumes.
    const done = await editor.deploy(r.id);
    assert.equal(done.state, 'complete_pending_revert', `deploying again completes (${JSON.stringify(done.error)})`);
    const history = (await editor.history(r.id)).map((e) => e.message);
    console.log(`[server killed] history: ${history.join(' | ')}`);
    assert.ok(history.some((m) => /the deploying process stopped during the copy/.test(m)), 'the history says what happened');
    assert.equal(done.migrationId, copying.migrationId, 'the same migration was resumed from its checkpoints, not started over');
    await w.stop();

    // The fixture's own connection died with the server.
    const conn = await connect(target, f.main);
    try {
      const [cols] = await conn.query<RowDataPacket[]>('SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [f.main, 'users']);
      assert.deepEqual(cols.map((c) => String(c.c)), ['id', 'email', 'nick']);
      const [count] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM users');
      const rows = Number(count[0].n);
      const [missing] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM users WHERE id IN (?)', [w.acked]);
      console.log(`[server killed] writes acknowledged ${w.acked.length}, refused while the server was down ${w.failures()}, found ${Number(missing[0].n)}; rows ${rows}`);
      assert.equal(Number(missing[0].n), w.acked.length, 'every acknowledged write is in the migrated table');
      // Seeded rows and acknowledged writes, plus at most the one insert in flight when the server died (committed, never acknowledged).
      assert.ok(rows >= 20_000 + w.acked.length && rows <= 20_000 + w.acked.length + 1, `rows ${rows}`);
    } finally {
      await conn.end();
    }
  } finally {
    await w.stop().catch(() => undefined);
    await f.cleanup().catch(() => undefined);
    await sandbox.destroy();
  }
});

test('the database server killed in the revert window and restarted: the revert still brings back the old schema with every acknowledged write', async () => {
  const sandbox = new Sandbox({ dir: mkdtempSync(join(tmpdir(), 'sb-killed-window-')) });
  const target = await sandbox.start();
  const f = await fixture({ rows: 5_000, target });
  const w = stubbornWriter(target, f.main);
  try {
    // The editor's process deploys, keeps the old table in sync through the window, and outlives the restart.
    const editor = f.another();
    const r = await editor.create(f.branch);
    const done = await editor.deploy(r.id);
    assert.equal(done.state, 'complete_pending_revert');
    await waitUntil(() => w.acked.length >= 50, 'writes in the revert window');
    await killServer(sandbox, w);
    await sandbox.start();
    const ackedAtRestart = w.acked.length;
    await waitUntil(() => w.acked.length >= ackedAtRestart + 50, 'the writer writes again after the restart', { timeoutMs: 60_000 });

    const reverted = await editor.revert(r.id);
    assert.equal(reverted.state, 'complete_revert', JSON.stringify(reverted.error));
    await w.stop();
    const conn = await connect(target, f.main);
    try {
      const [cols] = await conn.query<RowDataPacket[]>('SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [f.main, 'users']);
      assert.deepEqual(cols.map((c) => String(c.c)), ['id', 'email'], 'the old schema is back');
      const [found] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM users WHERE id IN (?)', [w.acked]);
      console.log(`[server killed in the window] writes acknowledged ${w.acked.length} (${w.acked.length - ackedAtRestart} after the restart), refused while the server was down ${w.failures()}, found after the revert ${Number(found[0].n)}`);
      assert.equal(Number(found[0].n), w.acked.length, 'every write acknowledged before and after the crash is in the reverted table');
      const [left] = await conn.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE '%\\_sb%'", [f.main]);
      assert.equal(Number(left[0].n), 0, 'no shadow or old table is left behind');
    } finally {
      await conn.end();
    }
  } finally {
    await w.stop().catch(() => undefined);
    await f.cleanup().catch(() => undefined);
    await sandbox.destroy();
  }
});
