/**
 * Removing what a migration built beside the user's tables, found by name on
 * the server (recorded or not): capture triggers `_sb<id>_*`, shadow tables
 * `*_sb<id>_new`, a cut-over sentry `*_sb<id>_old`, changelogs
 * `_schemabranch.migration_<id>_changelog_*`.
 *
 * Dropping a trigger needs the table's exclusive metadata lock, and while
 * that request waits every write to the table queues behind it. So each DROP
 * waits first, holding nothing, for connections that hold the table, then asks
 * with a budget under a second, and tries again until a deadline.
 */
import type { Connection } from 'mysql2/promise';
import { describeBlocker, tableBlockers, waitForQuiet, type Blocker } from './blockers.js';
import { isLockTimeout, lockWithin, supportsStatementTimeLimit } from './cutover-lock.js';
import { quoteQualified } from '../sql/quote.js';
import { METADATA_DB } from './names.js';
import { rows, sleep, threadId } from './session.js';
import { dropTable, dropTrigger, SENTRY_COMMENT } from './sql.js';

export interface LeftObjects {
  triggers: { name: string; table: string }[];
  /** Shadow tables, and sentries (only tables that carry the sentry comment). */
  tables: string[];
  changelogs: string[];
}

/** The engine's objects for migration `id` that the server shows in `db`. Params: [db]. */
export const READ_ENGINE_TRIGGERS = "SELECT TRIGGER_NAME AS n, EVENT_OBJECT_TABLE AS t FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME LIKE '\\_sb%'";
export const READ_ENGINE_TABLES = "SELECT TABLE_NAME AS n, TABLE_COMMENT AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND (TABLE_NAME LIKE '%\\_sb%\\_new' OR TABLE_NAME LIKE '%\\_sb%\\_old')";
export const READ_CHANGELOGS = "SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE 'migration\\_%\\_changelog\\_%'";

/** Which migration ids a name belongs to; `owns` decides (e.g. every attempt of one deploy request). */
export async function findLeftObjects(conn: Connection, db: string, owns: (migrationId: number) => boolean): Promise<LeftObjects> {
  const idOf = (name: string, re: RegExp): number | undefined => {
    const m = re.exec(name);
    return m ? Number(m[1]) : undefined;
  };
  const mine = (name: string, re: RegExp): boolean => {
    const id = idOf(name, re);
    return id !== undefined && owns(id);
  };
  const triggers = (await rows<{ n: string; t: string }>(conn, READ_ENGINE_TRIGGERS, [db])).filter((r) => mine(r.n, /^_sb(\d+)_\d+_[on]_(ins|upd|del)$/)).map((r) => ({ name: r.n, table: r.t }));
  const tables = (await rows<{ n: string; c: string }>(conn, READ_ENGINE_TABLES, [db]))
    .filter((r) => (/_new$/.test(r.n) || r.c === SENTRY_COMMENT) && mine(r.n, /_sb(\d+)_(new|old)$/))
    .map((r) => r.n);
  const changelogs = (await rows<{ n: string }>(conn, READ_CHANGELOGS, [METADATA_DB])).filter((r) => mine(r.n, /^migration_(\d+)_changelog_\d+$/)).map((r) => r.n);
  // A changelog is shared by name across databases only through its id: keep those of other databases' runs.
  const others = await rows<{ id: number }>(conn, `SELECT \`id\` FROM ${quoteQualified(METADATA_DB, 'migration_runs')} WHERE \`database_name\` <> ?`, [db]).catch(() => []);
  const runs = new Set(others.map((r) => Number(r.id)));
  return { triggers, tables, changelogs: changelogs.filter((n) => !runs.has(idOf(n, /^migration_(\d+)_/)!)) };
}

export class CleanupBlocked extends Error {
  /** Nothing is half-removed: running the cleanup again is safe. */
  readonly retrySafe = true;
  constructor(
    message: string,
    readonly blockers: Blocker[],
  ) {
    super(message);
  }
}

export interface PoliteOptions {
  /** One attempt's wait for the metadata lock (the stall it can cost). */
  lockWaitMs: number;
  /** How long to keep trying, holding no lock between attempts. */
  deadlineMs: number;
}

export const POLITE_DEFAULTS: PoliteOptions = { lockWaitMs: 800, deadlineMs: 60_000 };

/**
 * Runs DDL that needs `table`'s exclusive metadata lock (CREATE or DROP
 * TRIGGER) without making the table's writes queue for more than one short
 * attempt: waits, holding nothing, for connections that hold the table.
 */
export async function runDdlPolitely(conn: Connection, db: string, table: string, sql: string, what: string, opts: PoliteOptions = POLITE_DEFAULTS): Promise<void> {
  const fractional = await supportsStatementTimeLimit(conn);
  const deadline = Date.now() + opts.deadlineMs;
  const me = await threadId(conn);
  const tables = [{ db, name: table }];
  for (let backoff = 100; ; backoff = Math.min(2000, backoff * 2)) {
    const quiet = await waitForQuiet(conn, tables, [me], deadline);
    if (quiet.blockers.length === 0 || !quiet.confirmed) {
      try {
        await lockWithin(conn, sql, opts.lockWaitMs, fractional);
        return;
      } catch (err) {
        if (!isLockTimeout(err)) throw err;
      }
    }
    if (Date.now() >= deadline) {
      const left = quiet.blockers.length ? quiet.blockers : (await tableBlockers(conn, tables, [me])).blockers;
      const who = left.length ? ` Held by ${left.map(describeBlocker).join('; ')}.` : '';
      throw new CleanupBlocked(`${what} on ${table} waited ${Math.round(opts.deadlineMs / 1000)} s for the table.${who} End that transaction, then try again (safe).`, left);
    }
    await sleep(backoff);
  }
}

/** Drops a trigger on `table` without making the table's writes queue for more than one short attempt. */
export function dropTriggerPolitely(conn: Connection, db: string, table: string, trigger: string, opts: PoliteOptions = POLITE_DEFAULTS): Promise<void> {
  return runDdlPolitely(conn, db, table, dropTrigger(db, trigger), `Removing the capture trigger ${trigger}`, opts);
}

/** Drops the capture triggers of one migration, wherever the server shows them (the table they sit on depends on the phase). */
export async function dropRunTriggers(conn: Connection, db: string, id: number, opts: PoliteOptions = POLITE_DEFAULTS): Promise<void> {
  const found = await findLeftObjects(conn, db, (x) => x === id);
  for (const t of found.triggers) await dropTriggerPolitely(conn, db, t.table, t.name, opts);
}

/** Removes every object of `found`: triggers first (so nothing writes to the changelogs), then tables. */
export async function removeLeftObjects(conn: Connection, db: string, found: LeftObjects, opts: PoliteOptions = POLITE_DEFAULTS): Promise<void> {
  for (const t of found.triggers) await dropTriggerPolitely(conn, db, t.table, t.name, opts);
  for (const t of found.tables) await conn.query(dropTable(db, t));
  for (const c of found.changelogs) await conn.query(dropTable(METADATA_DB, c));
}
