/**
 * Replica lag throttle (issue 11): a primary and a replica, two private
 * servers with GTID replication. The copy pauses while the replica's SQL
 * thread is stopped and says why; once it runs again the copy finishes by
 * itself, and the cut-over reaches the replica.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createConnection, type Connection } from 'mysql2/promise';
import type { ServerTarget } from '../../src/db/target.js';
import { OnlineMigration } from '../../src/migration/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { waitUntil } from '../../../test/support/wait.js';
import { alterChange } from './scenario.js';

const DB = 'app';

async function columns(conn: Connection): Promise<string[]> {
  const [r] = (await conn.query("SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = 'items' ORDER BY ORDINAL_POSITION")) as unknown as [{ c: string }[]];
  return r.map((x) => x.c);
}

test('the copy pauses while a replica stops applying, says why, resumes by itself, and the cut-over reaches the replica', async () => {
  const primaryBox = new Sandbox({ dir: mkdtempSync(join(tmpdir(), 'sb-primary-')) });
  const replicaBox = new Sandbox({ dir: mkdtempSync(join(tmpdir(), 'sb-replica-')), serverArgs: ['--server-id=2'] });
  let m: OnlineMigration | undefined;
  const [primary, replica] = await Promise.all([primaryBox.start(), replicaBox.start()]);
  const p = await createConnection({ ...primary, multipleStatements: true });
  const r = await createConnection({ ...replica, multipleStatements: true });
  try {
    await p.query("CREATE USER 'repl'@'%' IDENTIFIED BY 'repl-pw'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'");
    await r.query(`CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${Number(primary.port)}, MASTER_USER = 'repl', MASTER_PASSWORD = 'repl-pw', MASTER_USE_GTID = slave_pos; START SLAVE`);
    await p.query(`CREATE DATABASE ${DB}; CREATE TABLE ${DB}.items (id int NOT NULL PRIMARY KEY, c varchar(40) NOT NULL) ENGINE=InnoDB; USE ${DB}; INSERT INTO items SELECT seq, CONCAT('row-', seq) FROM seq_1_to_30000`);
    await waitUntil(async () => Number(((await r.query(`SELECT COUNT(*) AS n FROM ${quoteIdent(DB)}.items`).catch(() => [[{ n: 0 }]])) as unknown as [{ n: number }[]])[0][0]!.n) === 30000, 'the replica has the rows', { timeoutMs: 30_000 });

    const replicaTarget: ServerTarget = { host: '127.0.0.1', port: replica.port, user: 'root' };
    m = await OnlineMigration.prepare(primary, DB, 4242, [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')], { chunkTargetMs: 20, replicas: [replicaTarget], maxReplicaLagMs: 1000 });
    // The replica stops applying before the copy starts: it must not copy a chunk until the replica runs again.
    await r.query('STOP SLAVE SQL_THREAD');
    const waits: Array<{ reason: string; detail?: string; at: number }> = [];
    let copied = 0;
    const copying = m.copy(
      (progress) => (copied = progress.reduce((a, t) => a + t.rowsCopied, 0)),
      undefined,
      (reason, detail) => waits.push({ reason, detail, at: Date.now() }),
    );
    await waitUntil(() => waits.some((w) => w.reason === 'replica-lag'), 'the copy says it waits for the replica', { timeoutMs: 20_000 });
    // The copy asks the replica before every chunk: three more asks, and still no row copied.
    const asks = async (): Promise<number> => Number(((await r.query("SHOW GLOBAL STATUS LIKE 'Com_show_slave_status'")) as unknown as [{ Value: string }[]])[0][0]!.Value);
    const asked = await asks();
    await waitUntil(async () => (await asks()) >= asked + 3, 'the copy asked the replica three more times', { timeoutMs: 20_000 });
    const copiedWhileStopped = copied;
    const startedAgain = Date.now();
    await r.query('START SLAVE SQL_THREAD');
    await copying;
    const finishedMs = Date.now() - startedAgain;
    await m.cutOver();
    await waitUntil(async () => (await columns(r)).includes('added'), 'the replica applied the cut-over', { timeoutMs: 30_000 });
    const wait = waits.find((w) => w.reason === 'replica-lag')!;
    console.log(`[replica lag] the copy waited: "${wait.detail}"; rows copied while the SQL thread was stopped: ${copiedWhileStopped}; finished ${finishedMs} ms after it started again`);
    assert.equal(copiedWhileStopped, 0, 'no row was copied while the replica was not applying');
    assert.match(wait.detail ?? '', /SQL thread is stopped/);
    assert.equal(m.phase, 'cut_over');
    assert.deepEqual(await columns(r), ['id', 'c', 'added']);
    await m.finish();
  } finally {
    await m?.close();
    await p.end().catch(() => undefined);
    await r.end().catch(() => undefined);
    await Promise.all([primaryBox.destroy(), replicaBox.destroy()]);
  }
});
