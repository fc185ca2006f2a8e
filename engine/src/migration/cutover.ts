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
 */
import type { Connection } from 'mysql2/promise';
import type { ServerTarget } from '../db/target.js';
import { describeBlocker, findBlockers, tableComment, type Blocker } from './inspect.js';
import { errno, openEngineConnection, rows, sleep, threadId } from './session.js';
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
  lockWaitSeconds: number;
  attempts: number;
}

export class CutOverBlocked extends Error {
  /** Nothing changed: running the cut-over again is safe. */
  readonly retrySafe = true;
  constructor(
    message: string,
    readonly blockers: Blocker[],
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

export async function atomicSwap(target: ServerTarget, monitor: Connection, plan: SwapPlan, opts: SwapOptions): Promise<{ stallMs: number }> {
  let blockers: Blocker[] = [];
  let lastError = '';
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    const res = await attemptSwap(target, monitor, plan, opts);
    if ('stallMs' in res) return res;
    blockers = res.blockers;
    lastError = res.error;
    if (attempt < opts.attempts) await sleep(Math.min(5000, 250 * 2 ** (attempt - 1)));
  }
  const who = blockers.length ? ` Blocked by ${blockers.map(describeBlocker).join('; ')}.` : '';
  throw new CutOverBlocked(
    `The table swap could not get its locks in ${opts.attempts} attempts of ${opts.lockWaitSeconds} s (${lastError}).${who} The tables are unchanged; end or wait for the blocking transaction, then retry (safe).`,
    blockers,
  );
}

type Attempt = { stallMs: number } | { error: string; blockers: Blocker[] };

async function attemptSwap(target: ServerTarget, monitor: Connection, plan: SwapPlan, opts: SwapOptions): Promise<Attempt> {
  const sentry = sentryOf(plan);
  const a = await openEngineConnection(target, { lockWaitSeconds: opts.lockWaitSeconds });
  const b = await openEngineConnection(target, { lockWaitSeconds: opts.lockWaitSeconds * 2 + 5 });
  const ids = [await threadId(a), await threadId(b), await threadId(monitor)];
  let locked = false;
  let renameIssued: Promise<unknown> | undefined;
  try {
    await dropStaleSentry(monitor, plan.db, sentry);
    await a.query(createSentry(plan.db, sentry));
    await a.query('SET SESSION autocommit = 0');
    if (plan.catchUp) await plan.catchUp();
    try {
      await a.query(lockTablesWrite([...plan.lock, { db: plan.db, name: sentry }]));
    } catch (err) {
      if (errno(err) !== 1205) throw err;
      return { error: 'lock wait timeout', blockers: await findBlockers(monitor, ids) };
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
      return { error: renameError instanceof Error ? renameError.message : 'the RENAME did not queue', blockers: [] };
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
      return { error: renameError instanceof Error ? renameError.message : String(renameError), blockers: await findBlockers(monitor, ids) };
    }
    return { stallMs: Date.now() - lockedAt };
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
