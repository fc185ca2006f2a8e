/**
 * Issue 13's "done means": a deploy request that changes a table, a view over
 * it and an audit trigger on it, under writers through the deploy, the revert
 * window and the revert. Every acknowledged write is kept, the audit table
 * holds exactly one row per write (the trigger never fires twice, never
 * misses), the branch's definitions are live after the cut-over and the old
 * ones after the revert.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { quoteIdent } from '../../src/sql/quote.js';
import { BASE_TABLE } from '../migration/scenario.js';
import { compareWithAcks, WriterPool } from '../migration/writers.js';
import { fixture, NOTES, USERS } from './fixture.js';

const AUDIT = 'CREATE TABLE audit (seq bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, item_id int NOT NULL, op char(1) NOT NULL) ENGINE=InnoDB';
const trigger = (event: 'INSERT' | 'UPDATE' | 'DELETE', row: 'NEW' | 'OLD', op: string): string =>
  `CREATE TRIGGER items_${event.toLowerCase()} AFTER ${event} ON items FOR EACH ROW INSERT INTO audit (item_id, op) VALUES (${row}.id, '${op}')`;

async function schema(conn: Connection, db: string, newSchema: boolean): Promise<void> {
  await conn.query(`USE ${quoteIdent(db)}`);
  await conn.query(BASE_TABLE(db, 'items').replace(') ENGINE', newSchema ? ', added int NOT NULL DEFAULT 7) ENGINE' : ') ENGINE'));
  await conn.query(AUDIT);
  await conn.query(`CREATE VIEW item_view AS SELECT id, k${newSchema ? ', added' : ''} FROM items`);
  // The branch changes what the insert trigger records ('I' for 'i'); the others stay.
  await conn.query(trigger('INSERT', 'NEW', newSchema ? 'I' : 'i'));
  await conn.query(trigger('UPDATE', 'NEW', 'u'));
  await conn.query(trigger('DELETE', 'OLD', 'd'));
}

async function one<T>(conn: Connection, sql: string, params: unknown[] = []): Promise<T> {
  const [r] = await conn.query<RowDataPacket[]>(sql, params);
  return r[0] as T;
}

test('a table, a view over it and its audit trigger in one deploy request, under writers through deploy, revert window and revert', async () => {
  const f = await fixture({ rows: 0, branchSchema: [USERS, NOTES] });
  const writers = new WriterPool(f.target, f.main, 'items');
  try {
    await schema(f.conn, f.branchDb, true);
    await schema(f.conn, f.main, false);
    await writers.seed(20_000);
    // The seed fired the triggers: count only the writers' writes.
    await f.conn.query('TRUNCATE TABLE audit');
    const r = await f.dr.create(f.branch);
    assert.deepEqual(r.changes.map((c) => `${c.kind} ${c.object?.kind ?? 'table'} ${c.table}`).sort(), ['alter_table table items', 'create_object trigger items_insert', 'drop_object trigger items_insert', 'replace_object view item_view']);
    assert.equal(r.lint.deployable, true, r.lint.reasons.join('\n'));

    await assert.rejects(f.dr.deploy(r.id, { instant: true }), /cannot be deployed instantly: it changes (trigger|view) item/);
    await writers.start();
    await writers.progress(20);
    const deployed = await f.dr.deploy(r.id);
    assert.equal(deployed.state, 'complete_pending_revert');
    const view = await one<{ 'Create View': string }>(f.conn, 'SHOW CREATE VIEW item_view');
    assert.match(view['Create View'], /`added`/, 'the branch view is live after the cut-over');
    const live = async (): Promise<Array<{ n: string; tb: string; s: string }>> => {
      const [rows] = await f.conn.query<RowDataPacket[]>("SELECT TRIGGER_NAME AS n, EVENT_OBJECT_TABLE AS tb, ACTION_STATEMENT AS s FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME LIKE 'items%' ORDER BY TRIGGER_NAME", [f.main]);
      return rows as Array<{ n: string; tb: string; s: string }>;
    };
    const afterCutOver = await live();
    assert.deepEqual(afterCutOver.map((x) => x.tb), ['items', 'items', 'items'], 'no user trigger stays on the table kept for the revert');
    assert.match(afterCutOver.find((x) => x.n === 'items_insert')!.s, /'I'/, "the branch's trigger is live after the cut-over");

    await writers.progress(50);
    await writers.hold();
    const mid = await compareWithAcks(f.target, f.main, 'items', writers.acks);
    assert.deepEqual({ missing: mid.missing, extra: mid.extra, different: mid.different }, { missing: [], extra: [], different: [] });
    writers.unhold();
    await writers.progress(50);

    const reverted = await f.dr.revert(r.id);
    assert.equal(reverted.state, 'complete_revert');
    await writers.progress(20);
    await writers.stop();

    assert.doesNotMatch((await one<{ 'Create View': string }>(f.conn, 'SHOW CREATE VIEW item_view'))['Create View'], /`added`/, 'the old view is back');
    const afterRevert = await live();
    assert.deepEqual(afterRevert.map((x) => x.tb), ['items', 'items', 'items']);
    assert.match(afterRevert.find((x) => x.n === 'items_insert')!.s, /'i'/, 'the old trigger is back');
    const end = await compareWithAcks(f.target, f.main, 'items', writers.acks);
    assert.deepEqual({ missing: end.missing, extra: end.extra, different: end.different }, { missing: [], extra: [], different: [] });
    const audit = await one<{ n: number; big: number }>(f.conn, "SELECT COUNT(*) AS n, SUM(op = 'I') AS big FROM audit");
    const history = (await f.dr.history(r.id)).map((e) => e.message).join('\n');
    const stall = (what: string): string => new RegExp(`${what}[^\\n]*?writes waited (\\d+) ms`).exec(history)?.[1] ?? '?';
    console.log(
      `[objects] writes acknowledged ${writers.acks.acknowledged} (not acknowledged ${writers.acks.failed}), audit rows ${Number(audit.n)} (by the branch's trigger ${Number(audit.big)}), rows compared ${end.compared}; ` +
        `cut-over stall ${stall('cut over')} ms, revert stall ${stall('reverted')} ms, longest write ${writers.acks.longestWriteMs} ms`,
    );
    assert.equal(Number(audit.n), writers.acks.acknowledged, 'exactly one audit row per acknowledged write');
    assert.ok(Number(audit.big) > 0, "the branch's trigger audited the writes of the revert window");
    assert.deepEqual(await f.tables(), ['audit', 'items', 'item_view', 'notes', 'users']);
  } finally {
    await writers.stop().catch(() => undefined);
    await f.cleanup();
  }
});

test('a request that changes only a view and adds a procedure deploys without a copy and reverts to the old definitions', async () => {
  const f = await fixture({ rows: 3, branchSchema: [USERS, NOTES] });
  try {
    await f.conn.query(`CREATE VIEW ${quoteIdent(f.main)}.user_emails AS SELECT id, email FROM ${quoteIdent(f.main)}.users`);
    await f.conn.query(`CREATE VIEW ${quoteIdent(f.branchDb)}.user_emails AS SELECT id, LOWER(email) AS email FROM ${quoteIdent(f.branchDb)}.users`);
    await f.conn.query(`CREATE PROCEDURE ${quoteIdent(f.branchDb)}.count_users() SELECT COUNT(*) FROM users`);
    const r = await f.dr.create(f.branch);
    const deployed = await f.dr.deploy(r.id);
    assert.equal(deployed.state, 'complete_pending_revert');
    assert.equal(deployed.migrationId, null, 'no table copy');
    assert.match((await one<{ 'Create View': string }>(f.conn, 'SHOW CREATE VIEW user_emails'))['Create View'], /lcase|lower/i);
    assert.ok(await one(f.conn, 'SHOW CREATE PROCEDURE count_users'));
    const reverted = await f.dr.revert(r.id);
    assert.equal(reverted.state, 'complete_revert');
    assert.doesNotMatch((await one<{ 'Create View': string }>(f.conn, 'SHOW CREATE VIEW user_emails'))['Create View'], /lcase|lower/i);
    await assert.rejects(f.conn.query('SHOW CREATE PROCEDURE count_users'), /does not exist/);
  } finally {
    await f.cleanup();
  }
});

test('a revert of objects cut short by a dead process is finished by reconcile: the old view is back and the new procedure gone', async () => {
  const f = await fixture({ rows: 3, branchSchema: [USERS, NOTES] });
  try {
    await f.conn.query(`CREATE VIEW ${quoteIdent(f.main)}.user_emails AS SELECT id, email FROM ${quoteIdent(f.main)}.users`);
    await f.conn.query(`CREATE VIEW ${quoteIdent(f.branchDb)}.user_emails AS SELECT id, LOWER(email) AS email FROM ${quoteIdent(f.branchDb)}.users`);
    await f.conn.query(`CREATE PROCEDURE ${quoteIdent(f.branchDb)}.count_users() SELECT COUNT(*) FROM users`);
    const r = await f.dr.create(f.branch);
    const deployed = await f.dr.deploy(r.id);
    assert.equal(deployed.objectUndo?.length, 2);
    // The reverting process ran the first undo statement, then died.
    await f.conn.query('DROP PROCEDURE count_users');
    await f.conn.query("UPDATE _schemabranch.deploy_requests SET state = 'in_progress_revert', owner = 'gone:1' WHERE id = ?", [r.id]);
    const report = await f.another().reconcile();
    assert.deepEqual(report.resumed, [r.id]);
    assert.equal((await f.dr.show(r.id)).state, 'complete_revert');
    assert.doesNotMatch((await one<{ 'Create View': string }>(f.conn, 'SHOW CREATE VIEW user_emails'))['Create View'], /lcase|lower/i);
    await assert.rejects(f.conn.query('SHOW CREATE PROCEDURE count_users'), /does not exist/);
  } finally {
    await f.cleanup();
  }
});
