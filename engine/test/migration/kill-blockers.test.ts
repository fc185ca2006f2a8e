/**
 * The opt-in aggressive cut-over (migration.killBlockersAfterSeconds, issue
 * 11): after the wait, the connection holding the table is killed and named,
 * the swap goes through, and a transaction that cannot be tied to the table
 * (open on a connection using another database) is left alone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OnlineMigration, type Blocker } from '../../src/migration/index.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { alterChange, BASE_TABLE, columnsOf, exec } from './scenario.js';

test('killBlockersAfterSeconds kills the long SELECT holding the table after the wait, names it, and leaves an unrelated open transaction alone', async () => {
  const { target, database, drop } = await freshDatabase('migkill');
  const other = await freshDatabase('migkillother');
  const holder = await connect(target, database);
  const bystander = await connect(target, other.database);
  let m: OnlineMigration | undefined;
  try {
    await exec(target, database, BASE_TABLE(database, 'items'));
    await exec(target, database, `INSERT INTO ${quoteIdent(database)}.items (id, k, c) SELECT seq, seq % 100, 'r' FROM seq_1_to_2000`);
    await exec(target, other.database, 'CREATE TABLE t (id int PRIMARY KEY) ENGINE=InnoDB');
    m = await OnlineMigration.prepare(target, database, 9_100_000 + Math.floor(Math.random() * 100_000), [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')], {
      chunkTargetMs: 50,
      blockerWaitSeconds: 30,
      killBlockersAfterSeconds: 2,
    });
    await m.copy();
    const holderId = Number(((await holder.query('SELECT CONNECTION_ID() AS id')) as unknown as [{ id: number }[]])[0][0]!.id);
    const bystanderId = Number(((await bystander.query('SELECT CONNECTION_ID() AS id')) as unknown as [{ id: number }[]])[0][0]!.id);
    // An idle transaction in another database: visible as an open transaction, but nothing ties it to `items`.
    await bystander.query('BEGIN');
    await bystander.query('INSERT INTO t VALUES (1)');
    const selecting = holder.query('SELECT SLEEP(60) FROM items WHERE id = 1').then(
      () => 'finished',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    // Running a second: a statement that just started is not a blocker (it ends within a lock attempt's budget).
    for (const until = Date.now() + 10_000; ; ) {
      const [p] = (await exec(target, database, 'SELECT TIME_MS AS ms FROM information_schema.PROCESSLIST WHERE ID = ?', [holderId])) as { ms: number }[];
      if (Number(p?.ms ?? 0) >= 1000) break;
      assert.ok(Date.now() < until, 'the SELECT started');
      await new Promise((r) => setTimeout(r, 50));
    }
    let killed: Blocker[] = [];
    m.onBlockersKilled = (k) => void (killed = k);
    const started = Date.now();
    const cut = await m.cutOver();
    const tookMs = Date.now() - started;
    const selectEnded = await selecting;
    console.log(`[kill blockers] killed ${killed.map((b) => b.id).join(', ')} (SELECT ${holderId}, bystander ${bystanderId}) after ${tookMs} ms; stall ${cut.stallMs} ms (attempts ${cut.attemptsMs.join(", ")}); the SELECT saw: ${selectEnded}`);
    assert.deepEqual(killed.map((b) => b.id), [holderId]);
    assert.match(killed[0]!.info ?? '', /SLEEP\(60\)/);
    assert.notEqual(selectEnded, 'finished', 'the SELECT was ended by the kill');
    assert.ok(tookMs >= 1900 && tookMs < 20_000, `the cut-over waited about the configured 2 s before killing (${tookMs} ms)`);
    assert.ok(cut.stallMs < 1000, `the swap asked for its locks only once the table was free (stall ${cut.stallMs} ms)`);
    assert.equal(m.phase, 'cut_over');
    assert.ok((await columnsOf(target, database, 'items')).includes('added'));
    // The bystander's transaction is still open and its connection alive.
    await bystander.query('INSERT INTO t VALUES (2)');
    await bystander.query('COMMIT');
    assert.equal(((await exec(target, other.database, 'SELECT COUNT(*) AS n FROM t')) as { n: number }[])[0]!.n, 2);
    await m.finish();
  } finally {
    await m?.close();
    await holder.end().catch(() => undefined);
    await bystander.end().catch(() => undefined);
    await other.drop();
    await drop();
  }
});
