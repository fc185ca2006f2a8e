/**
 * The drain ends even while writes keep arriving: it applies the changes that
 * were captured when it started, so a copy that drains between chunks keeps
 * copying. Catching up before a cut-over waits for a short backlog and says
 * so, with the backlog, when writes arrive as fast as they are applied.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CatchUpTooSlow, catchUp, drainAll, DRAIN_BATCH, type DrainRoute } from '../../src/migration/drain.js';
import { METADATA_DB } from '../../src/migration/names.js';
import { openEngineConnection } from '../../src/migration/session.js';
import { createChangelog } from '../../src/migration/sql.js';
import { ensureMetadata } from '../../src/migration/store.js';
import { quoteIdent, quoteQualified } from '../../src/sql/quote.js';
import { connect, freshDatabase } from '../../../test/support/server.js';

test('a drain applies what was captured when it started and ends while a writer keeps capturing', async () => {
  const { target, database, drop } = await freshDatabase('drainbound');
  const changelog = `cl_${database}`;
  const setup = await connect(target, database);
  const writer = await connect(target, database);
  const conn = await openEngineConnection(target);
  let writing = true;
  let captured = 0;
  try {
    await ensureMetadata(conn);
    for (const t of ['src', 'dst']) await setup.query(`CREATE TABLE ${quoteIdent(t)} (id int NOT NULL PRIMARY KEY, c varchar(20) NOT NULL) ENGINE=InnoDB`);
    await setup.query('INSERT INTO `src` SELECT seq, CONCAT(\'r\', seq) FROM seq_1_to_6000');
    await setup.query(createChangelog(METADATA_DB, changelog, [{ name: 'id', columnType: 'int(11)' }]));
    const cl = quoteQualified(METADATA_DB, changelog);
    await setup.query(`INSERT INTO ${cl} (side, id) SELECT 1, seq FROM seq_1_to_5000`);
    // A writer that captures a change for every drain statement and more: without the bound the drain would chase it.
    const writes = (async () => {
      // Starts once the drain has applied its first batch, so its high-water mark is taken.
      for (;;) {
        const [[{ n }]] = (await writer.query('SELECT COUNT(*) AS n FROM `dst`')) as unknown as [[{ n: number }]];
        if (Number(n) > 0 || !writing) break;
      }
      for (let i = 0; writing; i++) {
        await writer.query(`INSERT INTO ${cl} (side, id) VALUES (1, ?), (1, ?), (1, ?)`, [(i % 6000) + 1, ((i + 7) % 6000) + 1, ((i + 13) % 6000) + 1]);
        captured += 3;
      }
    })();
    const route: DrainRoute = { db: database, changelog, key: ['id'], side: 1, from: 'src', to: 'dst', columns: ['id', 'c'], replace: true };
    const res = await drainAll(conn, route, { batch: 500 });
    writing = false;
    await writes;
    assert.equal(res.read, 5000, `the drain read ${res.read} changes; 5000 were captured when it started, ${captured} more while it ran`);
    assert.ok(captured > 0, 'the writer captured changes while the drain ran');
    const [[{ n }]] = (await setup.query('SELECT COUNT(*) AS n FROM `dst`')) as unknown as [[{ n: number }]];
    assert.equal(Number(n), 5000);
  } finally {
    writing = false;
    await conn.end();
    await writer.end();
    await setup.query(`DROP TABLE IF EXISTS ${quoteQualified(METADATA_DB, changelog)}`);
    await setup.end();
    await drop();
  }
});

test('catching up waits for a backlog of at most one batch', async () => {
  const backlog = [9000, 6000, 6500, 3000, DRAIN_BATCH, 0];
  let passes = 0;
  await catchUp(async () => backlog[passes++]!, 'items', 10_000);
  assert.equal(passes, 5);
});

test('catching up refuses, naming the backlog, when writes arrive as fast as they are applied', async () => {
  let passes = 0;
  await assert.rejects(
    catchUp(async () => (passes++, 5000 + (passes % 3) * 100), 'items', 150),
    (err: unknown) => err instanceof CatchUpTooSlow && err.retrySafe && /Writes to items .* the backlog is still 5\d00 changes\. Nothing was changed/.test(err.message),
  );
  assert.ok(passes > 1);
});
