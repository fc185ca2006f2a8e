/**
 * Applies the keys captured in a changelog to the other table: delete the
 * key there, re-copy it from the table that changed (common columns), then
 * delete exactly the changelog rows read. Rows are read by seq but deleted by
 * their own seq values, never by range: a transaction that took a lower seq
 * may commit after a higher one was drained, and a range would wait on its
 * uncommitted row. Each statement reads only the keys it names through an
 * index (see keyIn), so an open transaction elsewhere in the table is never
 * touched.
 */
import type { Connection } from 'mysql2/promise';
import { METADATA_DB } from './names.js';
import { describeBlocker, tableBlockers } from './blockers.js';
import { arrays, errno, sleep, threadId } from './session.js';
import { copyKeys, deleteChangelog, deleteKeys, lastChangelogSeq, readChangelog, readChangelogKeys } from './sql.js';

export interface DrainRoute {
  db: string;
  changelog: string;
  key: string[];
  /** 1 = keys changed in the old-schema table, 2 = in the new-schema table. */
  side: 1 | 2;
  from: string;
  to: string;
  columns: string[];
  /** Forward (towards the new schema) uses REPLACE; towards the old schema a row that does not fit must fail, so plain INSERT. */
  replace: boolean;
}

export interface StuckRow {
  key: unknown[];
  error: string;
}

export interface DrainResult {
  /** Changelog rows read (several may name one key). */
  read: number;
  applied: number;
  stuck: StuckRow[];
}

/**
 * `locked`: the caller holds LOCK TABLES with autocommit off (START
 * TRANSACTION would release the table locks), so only COMMIT/ROLLBACK are used.
 */
export async function drainBatch(conn: Connection, r: DrainRoute, limit: number, locked = false, highWater: unknown = ALL): Promise<DrainResult> {
  const read = await arrays(conn, readChangelog(METADATA_DB, r.changelog, r.key), [r.side, highWater, limit]);
  if (read.length === 0) return { read: 0, applied: 0, stuck: [] };
  const groups = new Map<string, { key: unknown[]; seqs: unknown[] }>();
  for (const row of read) {
    const key = row.slice(1);
    const id = JSON.stringify(key);
    const g = groups.get(id) ?? { key, seqs: [] };
    g.seqs.push(row[0]);
    groups.set(id, g);
  }
  const all = [...groups.values()];
  try {
    await apply(conn, r, all, locked);
    return { read: read.length, applied: all.length, stuck: [] };
  } catch (err) {
    if (r.replace || locked) throw err;
  }
  // One row does not fit the old schema: apply the rest one by one, keep the misfits in the changelog.
  const stuck: StuckRow[] = [];
  for (const g of all) {
    try {
      await apply(conn, r, [g], false);
    } catch (err) {
      stuck.push({ key: g.key, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { read: read.length, applied: all.length - stuck.length, stuck };
}

async function apply(conn: Connection, r: DrainRoute, groups: { key: unknown[]; seqs: unknown[] }[], locked: boolean): Promise<void> {
  const keys = groups.flatMap((g) => g.key);
  const seqs = groups.flatMap((g) => g.seqs);
  if (!locked) await conn.beginTransaction();
  try {
    await conn.query(deleteKeys(r.db, r.to, r.key, groups.length), keys);
    if (r.columns.length) await conn.query(copyKeys(r.db, r.from, r.to, r.columns, r.key, groups.length, r.replace), keys);
    await conn.query(deleteChangelog(METADATA_DB, r.changelog, seqs.length), seqs);
    await conn.query('COMMIT');
  } catch (err) {
    await conn.query('ROLLBACK');
    throw err;
  }
}

/** How long the drain keeps retrying rows another connection holds before it gives up (safely). */
const ROW_WAIT_LIMIT_MS = 120_000;

/** The drain waited too long on rows another connection holds; nothing is half-applied, so trying again is safe. */
export class DrainBlocked extends Error {
  readonly retrySafe = true;
}

/** A high-water mark above every seq: read the whole side. */
const ALL = '18446744073709551615';

/**
 * Drains the changes that were on the changelog side when it started (or
 * until only rows that cannot be applied remain). Bounded by that high-water
 * mark, so it always ends: writers that capture changes as fast as they are
 * applied cannot keep it (and a row copy waiting between chunks) going for
 * ever. `catchUp` below is what waits for a short backlog. A batch that waits
 * on a row another transaction holds rolls back whole, so it is retried with
 * back-off rather than failing the deploy: an open transaction is ordinary
 * traffic.
 */
export async function drainAll(conn: Connection, r: DrainRoute, opts: { batch?: number; locked?: boolean } = {}): Promise<DrainResult> {
  const batch = opts.batch ?? DRAIN_BATCH;
  const [[highWater] = [null]] = await arrays(conn, lastChangelogSeq(METADATA_DB, r.changelog), [r.side]);
  if (highWater === null || highWater === undefined) return { read: 0, applied: 0, stuck: [] };
  let read = 0;
  let applied = 0;
  let backoff = 50;
  const giveUpAt = Date.now() + ROW_WAIT_LIMIT_MS;
  for (;;) {
    let res: DrainResult;
    try {
      res = await drainBatch(conn, r, batch, opts.locked, highWater);
    } catch (err) {
      if (opts.locked || !isRowLockWait(err)) throw err;
      if (Date.now() >= giveUpAt) throw await drainBlocked(conn, r, err);
      await sleep(backoff);
      backoff = Math.min(2000, backoff * 2);
      continue;
    }
    read += res.read;
    applied += res.applied;
    if (res.read < batch || res.applied === 0) return { read, applied, stuck: res.stuck };
  }
}

/** How long catching up may go on without the backlog getting shorter before the engine says so. */
const CATCH_UP_LIMIT_MS = 120_000;

/** Writes capture changes as fast as the engine applies them; nothing was changed, so trying again later is safe. */
export class CatchUpTooSlow extends Error {
  readonly retrySafe = true;
}

/**
 * Repeats `pass` (one bounded drain of every table, returning the changelog
 * rows it read) until a pass finds at most one batch: what is left then is
 * applied under the cut-over's locks in milliseconds. A backlog that has not
 * shrunk below its smallest size for `limitMs` means the writes
 * arrive faster than they can be applied; waiting longer would not help.
 */
export async function catchUp(pass: () => Promise<number>, what: string, limitMs = CATCH_UP_LIMIT_MS): Promise<void> {
  let smallest = Infinity;
  let since = Date.now();
  for (;;) {
    const read = await pass();
    if (read <= DRAIN_BATCH) return;
    if (read < smallest) {
      smallest = read;
      since = Date.now();
    } else if (Date.now() - since > limitMs) {
      throw new CatchUpTooSlow(
        `Writes to ${what} are captured as fast as the engine applies them: after ${Math.round(limitMs / 1000)} s the backlog is still ${read} changes. Nothing was changed and the copy stays in sync; retry the cut-over when writes are lighter (safe).`,
      );
    }
  }
}

/** Changes applied per statement: small enough that the last drain under the cut-over's locks costs milliseconds. */
export const DRAIN_BATCH = 2000;

function isRowLockWait(err: unknown): boolean {
  const n = errno(err);
  return n === 1205 || n === 1213;
}

async function drainBlocked(conn: Connection, r: DrainRoute, err: unknown): Promise<DrainBlocked> {
  const found = await tableBlockers(conn, [{ db: r.db, name: r.from }, { db: r.db, name: r.to }], [await threadId(conn)]).catch(() => ({ blockers: [] }));
  const who = found.blockers.length ? ` Held by ${found.blockers.map(describeBlocker).join('; ')}.` : '';
  return new DrainBlocked(
    `Applying captured changes to ${r.to} waited ${ROW_WAIT_LIMIT_MS / 1000} s on rows another transaction holds (${err instanceof Error ? err.message : String(err)}).${who} Nothing was half-applied: end that transaction, then retry (safe).`,
  );
}

/**
 * After a multi-table swap: the RENAME queues first on one table only, so a
 * write waiting on another table can still land in the table that is being
 * renamed away, between UNLOCK and RENAME. Those writes were captured on
 * `route.side`. With the tables locked, each such key is re-copied to the
 * table that now holds the user's name, unless that table has changed it since
 * (captured on `newerSide`): the later write wins. Returns the keys applied.
 */
export async function reconcileLateWrites(conn: Connection, route: DrainRoute, newerSide: 1 | 2): Promise<number> {
  let applied = 0;
  for (;;) {
    const read = await arrays(conn, readChangelog(METADATA_DB, route.changelog, route.key), [route.side, ALL, 5000]);
    if (read.length === 0) return applied;
    const keys = new Map<string, unknown[]>();
    for (const row of read) keys.set(JSON.stringify(row.slice(1)), row.slice(1));
    const all = [...keys.values()];
    const newer = await arrays(conn, readChangelogKeys(METADATA_DB, route.changelog, route.key, all.length), [newerSide, ...all.flat()]);
    const skip = new Set(newer.map((k) => JSON.stringify(k)));
    const todo = all.filter((k) => !skip.has(JSON.stringify(k)));
    if (todo.length) {
      await conn.query(deleteKeys(route.db, route.to, route.key, todo.length), todo.flat());
      await conn.query(copyKeys(route.db, route.from, route.to, route.columns, route.key, todo.length, route.replace), todo.flat());
    }
    await conn.query(deleteChangelog(METADATA_DB, route.changelog, read.length), read.map((r) => r[0]));
    await conn.query('COMMIT');
    applied += todo.length;
  }
}
