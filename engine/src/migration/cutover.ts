/**
 * The atomic swap of table names used for cut-over and for revert: gh-ost's
 * algorithm, because MariaDB refuses RENAME TABLE under LOCK TABLES (1192).
 *
 * Connection A creates a sentry table named like the first RENAME target and
 * locks every table involved plus the sentry; with the tables quiet it applies
 * the last captured changes. Connection B issues the RENAME, which waits on
 * A's locks and is queued ahead of the application's waiting writes. Once B
 * is seen waiting, A drops the sentry and unlocks: B's RENAME runs first.
 * If A dies before dropping the sentry, B's RENAME fails (its target exists)
 * and nothing changes.
 *
 * Before each attempt A asks for nothing until no other connection holds the
 * tables (blockers.ts): a lock request that waits makes the application's
 * writes queue behind it, so an attempt is only made when it can succeed, and
 * its wait is bounded by a budget under a second. The stall reported is the
 * sum over every attempt, failed ones included.
 */
import type { Connection } from 'mysql2/promise';
import type { ServerTarget } from '../db/target.js';
import { describeBlocker, killBlockers, tableBlockers, waitForQuiet, type Blocker, type TableRef } from './blockers.js';
import { isLockTimeout, lockWithin, supportsStatementTimeLimit } from './cutover-lock.js';
import { tableComment } from './inspect.js';
import { openEngineConnection, rows, sleep, threadId } from './session.js';
import { createSentry, dropTable, lockTablesWrite, renameTables, SENTRY_COMMENT } from './sql.js';

export interface SwapPlan {
  db: string;
  renames: { from: string; to: string }[];
  /** Every table A must hold: the renamed ones, plus those the final drain reads or writes. */
  lock: { db: string; name: string }[];
  /** Applies the remaining captured changes while A holds the locks (autocommit off, no START TRANSACTION). */
  finalDrain: (a: Connection) => Promise<void>;
  /** Runs just before A asks for its locks, so the drain under the locks has only the last moments' changes. */
  catchUp?: () => Promise<void>;
  /** Runs while A holds the locks, just before the RENAME is issued (e.g. creating new tables). */
  beforeRename?: () => Promise<void>;
  /**
   * Runs on A under the locks after the final drain, with the RENAME queued:
   * e.g. pointing foreign keys at the names they will have once it runs.
   */
  afterDrain?: (a: Connection) => Promise<void>;
  /** Takes back what afterDrain did when the RENAME will not run (still under the locks when it can be). */
  undoAfterDrain?: (a: Connection) => Promise<void>;
}

export interface SwapOptions {
  /** Longest wait of one attempt for its locks (the stall one attempt can cost); fractions allowed. */
  lockWaitSeconds: number;
  attempts: number;
  /** How long to wait, holding no lock, for connections that hold the tables to finish. Default 30. */
  blockerWaitSeconds?: number;
  /** Told once per wait when connections hold the tables and the swap waits for them. */
  onBlocked?: (blockers: Blocker[]) => void;
  /**
   * Opt-in (PlanetScale's aggressive cut-over, Spirit's force-kill): after
   * waiting this long for blockers, kill the connections that hold the tables
   * and try again. Off (0) by default.
   */
  killBlockersAfterSeconds?: number;
  /** Told of every connection the swap killed, before it tries again. */
  onKilled?: (killed: Blocker[]) => Promise<void> | void;
}

export class CutOverBlocked extends Error {
  /** Nothing changed: running the cut-over again is safe. */
  readonly retrySafe = true;
  constructor(
    message: string,
    readonly blockers: Blocker[],
    /** What the failed attempts cost the application's writes, summed. */
    readonly stallMs: number,
    /** Each attempt's cost, in order. */
    readonly attemptsMs: number[],
  ) {
    super(message);
  }
}

export function sentryOf(plan: SwapPlan): string {
  return plan.renames[0]!.to;
}

/** Drops a sentry left by a dead cut-over; only a table carrying the sentry comment is ever dropped. */
export async function dropStaleSentry(conn: Connection, db: string, name: string): Promise<void> {
  if ((await tableComment(conn, db, name)) === SENTRY_COMMENT) await conn.query(dropTable(db, name));
}

export async function atomicSwap(target: ServerTarget, monitor: Connection, plan: SwapPlan, opts: SwapOptions): Promise<{ stallMs: number; attemptsMs: number[] }> {
  const deadline = Date.now() + (opts.blockerWaitSeconds ?? 30) * 1000;
  const fractional = await supportsStatementTimeLimit(monitor);
  const tables = [...plan.lock, ...plan.renames.map((r) => ({ db: plan.db, name: r.from }))];
  let blockers: Blocker[] = [];
  let lastError = '';
  const attemptsMs: number[] = [];
  let stallMs = 0;
  const refuse = (why: string): CutOverBlocked => {
    const who = blockers.length ? ` Blocked by ${blockers.map(describeBlocker).join('; ')}.` : '';
    return new CutOverBlocked(
      `The table swap ${why}.${who} The tables are unchanged (writes waited ${stallMs} ms in all); end or wait for the blocking ${blockers.length === 1 ? 'connection' : 'connections'}, then retry (safe).`,
      blockers,
      stallMs,
      attemptsMs,
    );
  };
  const killAt = opts.killBlockersAfterSeconds ? Math.min(deadline, Date.now() + opts.killBlockersAfterSeconds * 1000) : undefined;
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    const me = [await threadId(monitor)];
    let quiet = await waitForQuiet(monitor, tables, me, killAt ?? deadline, opts.onBlocked);
    if (killAt !== undefined && quiet.blockers.length) {
      const killed = await killBlockers(monitor, plan.db, tables, quiet);
      if (killed.length) await opts.onKilled?.(killed);
      quiet = await waitForQuiet(monitor, tables, me, deadline, opts.onBlocked);
    }
    if (quiet.blockers.length && quiet.confirmed) {
      blockers = quiet.blockers;
      throw refuse(`waited ${opts.blockerWaitSeconds ?? 30} s for connections holding the tables and asked for no lock`);
    }
    const res = await attemptSwap(target, monitor, plan, opts, fractional, tables);
    stallMs += res.stallMs;
    attemptsMs.push(res.stallMs);
    if (res.error === undefined) return { stallMs, attemptsMs };
    blockers = res.blockers.length ? res.blockers : quiet.blockers;
    if (process.env.SCHEMABRANCH_TRACE_CUTOVER) console.error(`[swap] attempt ${attempt} failed: ${res.error}; blockers ${JSON.stringify(blockers)}`);
    lastError = res.error;
    if (attempt < opts.attempts) await sleep(Math.min(5000, 250 * 2 ** (attempt - 1)));
  }
  throw refuse(`could not get its locks in ${opts.attempts} attempts of ${opts.lockWaitSeconds} s (${lastError})`);
}

type Attempt = { stallMs: number; error?: undefined } | { stallMs: number; error: string; blockers: Blocker[] };

async function attemptSwap(target: ServerTarget, monitor: Connection, plan: SwapPlan, opts: SwapOptions, fractional: boolean, tables: TableRef[]): Promise<Attempt> {
  const sentry = sentryOf(plan);
  const a = await openEngineConnection(target, { lockWaitSeconds: opts.lockWaitSeconds });
  const b = await openEngineConnection(target, { lockWaitSeconds: opts.lockWaitSeconds * 2 + 5 });
  // Writes queue from the moment A asks for its locks, not from when it gets them.
  let askedAt: number | undefined;
  const stall = (): number => (askedAt === undefined ? 0 : Date.now() - askedAt);
  const ids = [await threadId(a), await threadId(b), await threadId(monitor)];
  let locked = false;
  let renameIssued: Promise<unknown> | undefined;
  try {
    await dropStaleSentry(monitor, plan.db, sentry);
    await a.query(createSentry(plan.db, sentry));
    await a.query('SET SESSION autocommit = 0');
    if (plan.catchUp) await plan.catchUp();
    askedAt = Date.now();
    try {
      await lockWithin(a, lockTablesWrite([...plan.lock, { db: plan.db, name: sentry }]), opts.lockWaitSeconds * 1000, fractional);
    } catch (err) {
      if (!isLockTimeout(err)) throw err;
      const waited = stall();
      return { stallMs: waited, error: `lock wait timeout after ${waited} ms`, blockers: (await tableBlockers(monitor, tables, ids)).blockers };
    }
    locked = true;
    const lockedAt = Date.now();
    const T = (l: string): void => {
      if (process.env.SCHEMABRANCH_TRACE_CUTOVER) console.error(`[swap] ${l} +${Date.now() - lockedAt}ms`);
    };
    if (plan.beforeRename) await plan.beforeRename();
    T('before-rename hook');
    // B queues behind A's locks right away; A applies the last changes meanwhile.
    const bId = ids[1]!;
    let renameError: unknown;
    renameIssued = b.query(renameTables(plan.db, plan.renames)).then(
      () => undefined,
      (err: unknown) => {
        renameError = err;
      },
    );
    T('rename issued');
    let linked = false;
    const undo = async (): Promise<void> => {
      if (linked && plan.undoAfterDrain) await plan.undoAfterDrain(a);
      linked = false;
    };
    try {
      await plan.finalDrain(a);
      T('final drain');
      await a.query('COMMIT');
      if (plan.afterDrain) {
        linked = true;
        await plan.afterDrain(a);
        T('after drain');
      }
    } catch (err) {
      await monitor.query(`KILL QUERY ${bId}`).catch(() => undefined);
      await renameIssued;
      await undo();
      throw err;
    }
    T('drained');
    const waiting = await waitForRenameToQueue(monitor, bId, () => renameError !== undefined, opts.lockWaitSeconds * 1000);
    T('rename queued');
    if (!waiting) {
      // Do not let a RENAME run once the sentry is gone: take it back, then unlock.
      await monitor.query(`KILL QUERY ${bId}`).catch(() => undefined);
      await renameIssued;
      await undo();
      await a.query('UNLOCK TABLES');
      locked = false;
      return { stallMs: stall(), error: renameError instanceof Error ? renameError.message : 'the RENAME did not queue', blockers: [] };
    }
    await a.query(dropTable(plan.db, sentry));
    T('sentry dropped');
    await a.query('UNLOCK TABLES');
    locked = false;
    T('unlocked');
    await renameIssued;
    T('renamed');
    if (renameError) {
      // Unlocked already: the sooner the keys are back, the shorter they point at the wrong names.
      await undo();
      return { stallMs: stall(), error: renameError instanceof Error ? renameError.message : String(renameError), blockers: (await tableBlockers(monitor, tables, ids)).blockers };
    }
    return { stallMs: stall() };
  } finally {
    if (locked) await a.query('UNLOCK TABLES').catch(() => undefined);
    await a.end().catch(() => undefined);
    if (renameIssued) await renameIssued;
    await b.end().catch(() => undefined);
    await dropStaleSentry(monitor, plan.db, sentry).catch(() => undefined);
  }
}

async function waitForRenameToQueue(monitor: Connection, id: number, failed: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !failed()) {
    const r = await rows<{ s: string | null; i: string | null }>(monitor, 'SELECT STATE AS s, INFO AS i FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
    const p = r[0];
    if (p && /metadata lock/i.test(p.s ?? '') && /^\s*RENAME/i.test(p.i ?? '')) return true;
    await sleep(2);
  }
  return false;
}
