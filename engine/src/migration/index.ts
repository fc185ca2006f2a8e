/**
 * The online schema change engine: shadow tables, trigger change capture into
 * changelogs, chunked copy, atomic cut-over of all tables together, a revert
 * window that keeps the old tables in sync, and a swap back without row copy.
 * All state lives in `_schemabranch.migration_*` on the server; the server's
 * tables are the truth after a crash.
 */
import type { Connection } from 'mysql2/promise';
import type { ServerTarget } from '../db/target.js';
import type { SchemaChange } from '../diff/change.js';
import { CopyMismatch, verifyCopies, type Verification } from './checksum.js';
import { copyTable, type CopyWait } from './copy.js';
import { buildDeferredIndexes, deferIndexes, forgetDeferredIndexes } from './deferred-indexes.js';
import { quoteIdent } from '../sql/quote.js';
import { atomicSwap, CutOverBlocked, dropStaleSentry, type SwapOptions, type SwapPlan } from './cutover.js';
import type { Blocker } from './blockers.js';
import { dropRunTriggers, findLeftObjects, removeLeftObjects } from './cleanup.js';
import { requireDeployPrivileges } from './grants.js';
import { catchUp, drainAll } from './drain.js';
import { ReplicaWatch } from './replicas.js';
import { settleLateWrites } from './late-writes.js';
import { tableExists } from './inspect.js';
import { addedUniqueKeys, refuseCollapsedRows } from './unique-guard.js';
import { ForeignKeyViolation } from './foreign-keys.js';
import { ForeignKeySwap } from './swap-keys.js';
import { METADATA_DB } from './names.js';
import { buildTableRecords, createChangelogs, createTriggers, dropTriggers, ensureOldSchemaTriggers } from './prepare.js';
import { backRoute, forwardLocks, forwardRenames, forwardRoute, reverseLocks, reverseRenames } from './routes.js';
import { openEngineConnection } from './session.js';
import { analyzeTable, dropTable } from './sql.js';
import { deleteRun, ensureMetadata, insertRun, readRun, saveCheckpoint, setPhase, type RunRecord, type TableRecord } from './store.js';
import { describeStuck, RevertWindowSync, revertWarnings, syncBack } from './window.js';
import type { StuckRow } from './drain.js';
import { moveAllTriggers, refuseChangedTriggers, settleAllTriggers } from './trigger-move.js';

export { CutOverBlocked } from './cutover.js';
export type { Blocker } from './blockers.js';
export { CopyAborted, type CopyWait } from './copy.js';
export { UniqueKeyCollapse } from './unique-guard.js';
export { ForeignKeyViolation } from './foreign-keys.js';
export { MigrationRefused } from './preflight.js';
export { CopyMismatch, type Verification } from './checksum.js';
export { MissingPrivileges } from './grants.js';

export interface MigrationOptions {
  /** Target duration of one copy chunk; chunk size adapts to it. Default 500. */
  chunkTargetMs?: number;
  /** The copy waits while the server's Threads_running exceeds this. Default 50. */
  maxThreadsRunning?: number;
  /** Longest wait of one attempt for table locks at cut-over and revert (application writes queue meanwhile); fractions allowed. Default 0.8. */
  lockWaitSeconds?: number;
  /** How long cut-over and revert wait, holding no lock, for connections that hold the tables. Default 30. */
  blockerWaitSeconds?: number;
  /** Replicas to watch (replicas.ts): the copy pauses while one lags more than maxReplicaLagMs, and the cut-over waits for them. Default none. */
  replicas?: ServerTarget[];
  /** Default 1000. */
  maxReplicaLagMs?: number;
  /** Opt-in: after this long waiting for blockers at cut-over or revert, kill them (cutover.ts). Default 0: never. */
  killBlockersAfterSeconds?: number;
  /** Lock attempts (with back-off) before cut-over or revert gives up. Default 5. */
  cutOverAttempts?: number;
  /** Skip the binary log for the row copy (needs SUPER; only safe without replicas). Default false. */
  skipBinlogForCopy?: boolean;
  /** Compare every copy with its original (checksum.ts) before the cut-over, and refuse on a difference. Default true. */
  verifyBeforeCutOver?: boolean;
}

/** What can be changed on a running copy (gh-ost's interactive commands). */
export interface CopyTuning {
  chunkTargetMs?: number;
  maxThreadsRunning?: number;
}

export interface TableProgress {
  table: string;
  rowsCopied: number;
  rowsTotal: number;
  percent: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
}

export type MigrationPhase = 'prepared' | 'copying' | 'ready_to_cut_over' | 'cut_over' | 'reverted' | 'finished' | 'aborted';

const DEFAULTS: Required<MigrationOptions> = { chunkTargetMs: 500, maxThreadsRunning: 50, lockWaitSeconds: 0.8, blockerWaitSeconds: 30, replicas: [], maxReplicaLagMs: 1000, killBlockersAfterSeconds: 0, cutOverAttempts: 5, skipBinlogForCopy: false, verifyBeforeCutOver: true };

export class RevertRefused extends Error {
  /** Nothing changed: once the rows are fixed, reverting again is safe. */
  readonly retrySafe = true;
  constructor(readonly problems: string[]) {
    super(`Revert refused: ${problems.join(' ')}`);
  }
}

export class OnlineMigration {
  private paused: { promise: Promise<void>; resolve: () => void } | undefined;
  /** The copy's settings that can change while it runs (tune). */
  private readonly tuning: Required<CopyTuning>;
  private replicaWatchOpen: ReplicaWatch | undefined;
  private get replicaWatch(): ReplicaWatch {
    this.replicaWatchOpen ??= new ReplicaWatch(this.opts.replicas, this.opts.maxReplicaLagMs);
    return this.replicaWatchOpen;
  }
  /** Told of the connections a cut-over or revert killed (migration.killBlockersAfterSeconds), so the caller can record them. */
  onBlockersKilled?: (killed: Blocker[]) => Promise<void> | void;
  private window: RevertWindowSync | undefined;

  private constructor(
    private readonly target: ServerTarget,
    private readonly conn: Connection,
    private run: RunRecord,
    private readonly tables: TableRecord[],
    private readonly opts: Required<MigrationOptions>,
  ) {
    this.tuning = { chunkTargetMs: opts.chunkTargetMs, maxThreadsRunning: opts.maxThreadsRunning };
  }

  get id(): number {
    return this.run.id;
  }
  get database(): string {
    return this.run.database;
  }
  get phase(): MigrationPhase {
    return this.run.phase;
  }
  /** The last error recorded for this migration (e.g. a cut-over that gave up), if any. */
  get error(): string | null {
    return this.run.error;
  }

  static async prepare(target: ServerTarget, database: string, id: number, changes: SchemaChange[], opts: MigrationOptions = {}): Promise<OnlineMigration> {
    const o = { ...DEFAULTS, ...opts };
    const conn = await openEngineConnection(target, { lockWaitSeconds: o.lockWaitSeconds, skipBinlog: o.skipBinlogForCopy });
    try {
      // Before anything is built: a privilege found missing at cut-over would cost the whole copy.
      await requireDeployPrivileges(conn, database);
      await ensureMetadata(conn);
      const existing = await readRun(conn, id);
      if (existing && !['finished', 'aborted', 'reverted'].includes(existing.run.phase)) {
        throw new Error(`Migration #${id} already exists and is ${existing.run.phase}; load it instead of preparing it again.`);
      }
      if (existing) await deleteRun(conn, id);
      const tables = await buildTableRecords(conn, database, id, changes).catch(async (err: unknown) => {
        // A refusal on a later table must not leave the shadows built for the earlier ones.
        await removeLeftObjects(conn, database, await findLeftObjects(conn, database, (x) => x === id)).catch(() => undefined);
        throw err;
      });
      await createChangelogs(conn, tables);
      const run: RunRecord = { id, database, phase: 'prepared', step: null, options: JSON.stringify(opts), cutOverAt: null, error: null };
      // Recorded before any trigger exists, so abort() can always find and remove what prepare created.
      await insertRun(conn, run, tables);
      const m = new OnlineMigration(target, conn, run, tables, o);
      try {
        for (const t of tables) if (t.kind === 'alter_table') await deferIndexes(conn, database, t.shadow, id, t.position);
        for (const t of tables) if (t.kind === 'alter_table') await createTriggers(conn, database, id, t, 'old-schema', t.table, o.cutOverAttempts);
      } catch (err) {
        await m.abort().catch(() => undefined);
        throw err;
      }
      return m;
    } catch (err) {
      await conn.end().catch(() => undefined);
      throw err;
    }
  }

  /** Reopens a migration after a restart. A step that was cut short is settled from what the server holds, not from the record. */
  static async load(target: ServerTarget, id: number, opts: MigrationOptions = {}): Promise<OnlineMigration | undefined> {
    const conn = await openEngineConnection(target);
    await ensureMetadata(conn);
    const found = await readRun(conn, id);
    if (!found) {
      await conn.end();
      return undefined;
    }
    const stored = JSON.parse(found.run.options) as MigrationOptions;
    const o = { ...DEFAULTS, ...stored, ...opts };
    await conn.end();
    const c2 = await openEngineConnection(target, { lockWaitSeconds: o.lockWaitSeconds, skipBinlog: o.skipBinlogForCopy });
    const m = new OnlineMigration(target, c2, found.run, found.tables, o);
    await m.recover();
    return m;
  }

  private async recover(): Promise<void> {
    const db = this.run.database;
    const step = this.run.step;
    if (step === null) return;
    const renames = step === 'cutting_over' ? forwardRenames(this.tables) : reverseRenames(this.tables);
    const applied = await this.nameSwapApplied(step);
    if (renames.length) await dropStaleSentry(this.conn, db, renames[0]!.to);
    if (step === 'cutting_over' && applied) await this.reconcileLateWrites('forward');
    if (step === 'reverting' && applied) await this.reconcileLateWrites('reverse');
    // Idempotent: a crash anywhere in the key moves leaves the step set, and they run again here.
    if (applied) await this.keys.settle(step === 'cutting_over' ? 'new' : 'old');
    else await this.keys.settle(step === 'cutting_over' ? 'old' : 'new');
    // The user's triggers go wherever the user's names went (trigger-move.ts): a crash mid-move never leaves the live table without them.
    await this.settleTriggers((step === 'cutting_over') === applied ? 'after' : 'before');
    if (step === 'cutting_over') await this.settle(applied ? 'cut_over' : 'ready_to_cut_over', applied);
    else {
      await this.settle(applied ? 'reverted' : 'cut_over', false);
      if (applied) await this.cleanUp(true);
    }
  }

  /** Whether the RENAME of a cut-over (or a revert) took effect, read from which tables exist. */
  private async nameSwapApplied(step: 'cutting_over' | 'reverting'): Promise<boolean> {
    const db = this.run.database;
    const t = this.tables.find((x) => x.kind === 'alter_table') ?? this.tables.find((x) => x.kind === 'drop_table') ?? this.tables[0]!;
    // Never decide from a name the swap's sentry may hold (the first RENAME target): old for a cut-over, shadow for a revert.
    if (t.kind === 'alter_table') return step === 'cutting_over' ? !(await tableExists(this.conn, db, t.shadow)) : !(await tableExists(this.conn, db, t.old));
    const userExists = await tableExists(this.conn, db, t.table);
    if (t.kind === 'drop_table') return step === 'cutting_over' ? !userExists : userExists;
    return step === 'cutting_over' ? userExists : !userExists;
  }

  private async settle(phase: MigrationPhase, cutOverNow: boolean, error?: string | null): Promise<void> {
    await setPhase(this.conn, this.run.id, phase, null, { cutOverNow, error });
    this.run = { ...this.run, phase, step: null, error: error === undefined ? this.run.error : error };
  }

  private async mark(phase: MigrationPhase, step: 'cutting_over' | 'reverting' | null): Promise<void> {
    await setPhase(this.conn, this.run.id, phase, step);
    this.run = { ...this.run, phase, step };
  }

  private expect(...phases: MigrationPhase[]): void {
    if (!phases.includes(this.run.phase)) throw new Error(`Migration #${this.run.id} is ${this.run.phase}; this step needs it to be ${phases.join(' or ')}.`);
  }

  progress(startedAt = Date.now(), copiedAtStart = new Map<string, number>()): TableProgress[] {
    const secs = Math.max(0.001, (Date.now() - startedAt) / 1000);
    return this.tables
      .filter((t) => t.kind === 'alter_table')
      .map((t) => {
        const rate = (t.rowsCopied - (copiedAtStart.get(t.table) ?? t.rowsCopied)) / secs;
        const left = Math.max(0, t.rowsTotal - t.rowsCopied);
        return {
          table: t.table,
          rowsCopied: t.rowsCopied,
          rowsTotal: t.rowsTotal,
          percent: t.copyDone ? 100 : t.rowsTotal ? Math.min(99.9, (100 * t.rowsCopied) / t.rowsTotal) : 0,
          rowsPerSecond: Math.round(rate),
          etaSeconds: t.copyDone ? 0 : rate > 0 ? Math.round(left / rate) : null,
        };
      });
  }

  /** Copies every altered table (resuming from checkpoints), then arms change capture on the new tables. */
  async copy(onProgress?: (p: TableProgress[]) => void, signal?: AbortSignal, onWait?: (reason: CopyWait, detail?: string) => void): Promise<void> {
    this.expect('prepared', 'copying', 'ready_to_cut_over');
    if (this.run.phase === 'ready_to_cut_over') return;
    const db = this.run.database;
    if (this.run.phase === 'prepared') {
      // 'prepared' is recorded before the triggers exist; a prepare that died may have left some out.
      for (const t of this.tables) if (t.kind === 'alter_table') await ensureOldSchemaTriggers(this.conn, db, this.run.id, t, this.opts.cutOverAttempts);
      await this.mark('copying', null);
    }
    const startedAt = Date.now();
    const atStart = new Map(this.tables.map((t) => [t.table, t.rowsCopied]));
    const drainForward = async (): Promise<void> => {
      for (const t of this.tables) if (t.kind === 'alter_table') await drainAll(this.conn, forwardRoute(db, t, false));
    };
    const tuning = this.tuning;
    for (const t of this.tables) {
      if (t.kind !== 'alter_table') continue;
      await copyTable(this.conn, db, t, {
        // Read at every chunk, so tune() takes effect at the next one.
        get chunkTargetMs() {
          return tuning.chunkTargetMs;
        },
        get maxThreadsRunning() {
          return tuning.maxThreadsRunning;
        },
        signal,
        waitIfPaused: () => {
          if (!this.paused) return Promise.resolve();
          onWait?.('paused');
          return this.paused.promise;
        },
        checkpoint: (x) => saveCheckpoint(this.conn, this.run.id, x),
        between: drainForward,
        onChunk: () => onProgress?.(this.progress(startedAt, atStart)),
        onWait,
        replicaLag: () => this.replicaWatch.lagging(),
      });
    }
    await drainForward();
    for (const t of this.tables) if (t.kind === 'alter_table') await buildDeferredIndexes(this.conn, db, t.shadow, this.run.id, t.position);
    // The shadow was empty when the server last sampled it: statistics that say so make the drain's key lookups look dearer than a scan.
    for (const t of this.tables) if (t.kind === 'alter_table') await this.conn.query(analyzeTable(db, t.shadow));
    await drainForward();
    for (const t of this.tables) if (t.kind === 'alter_table') await createTriggers(this.conn, db, this.run.id, t, 'new-schema', t.shadow, this.opts.cutOverAttempts);
    await this.mark('ready_to_cut_over', null);
    onProgress?.(this.progress(startedAt, atStart));
  }

  /** Compares every copied table with its original while writes go on (checksum.ts); the cut-over runs it first. */
  async verify(signal?: AbortSignal): Promise<Verification> {
    this.expect('ready_to_cut_over');
    return verifyCopies(this.conn, this.run.database, this.tables, { signal });
  }

  /** Swaps every table of the migration in one RENAME; application writes wait only while the locks are held. */
  /** `stallMs` is what application writes waited in all: every lock attempt (`attemptsMs`) plus settling late writes. */
  async cutOver(onBlocked?: (blockers: Blocker[]) => void): Promise<{ stallMs: number; attemptsMs: number[] }> {
    this.expect('ready_to_cut_over');
    const db = this.run.database;
    const altered = this.tables.filter((t) => t.kind === 'alter_table');
    const catchUpForward = (): Promise<void> =>
      catchUp(async () => {
        let read = 0;
        for (const t of altered) read += (await drainAll(this.conn, forwardRoute(db, t, false))).read;
        return read;
      }, altered.map((t) => t.table).join(', '));
    await catchUpForward();
    // A replica far behind would apply the RENAME long after the primary: wait for them first, holding nothing.
    const lagging = await this.replicaWatch.caughtUp(this.opts.blockerWaitSeconds * 1000);
    if (lagging) throw new CutOverBlocked(`The cut-over waited ${this.opts.blockerWaitSeconds} s for replicas to catch up and asked for no lock: ${lagging}. Nothing was changed; retry when they have (safe).`, [], 0, []);
    const uniqueAdds = await addedUniqueKeys(this.conn, db, altered);
    if (this.opts.verifyBeforeCutOver) {
      const v = await this.verify();
      // Rows a new unique key pushed out of the copy: say so in those words.
      if (!v.ok && uniqueAdds.size && v.tables.some((t) => t.differences.some((d) => d.problem === 'missing from the new table'))) await refuseCollapsedRows(this.conn, db, uniqueAdds);
      if (!v.ok) throw new CopyMismatch(v);
    }
    const orphans = await this.keys.problems('forward');
    if (orphans.length) throw new ForeignKeyViolation('Cut-over', orphans);
    await this.keys.recordIncoming();
    await refuseChangedTriggers(this.conn, db, altered);
    await this.mark('ready_to_cut_over', 'cutting_over');
    const creates = this.tables.filter((t) => t.kind === 'create_table');
    const createTables = async (): Promise<void> => {
      // The statement names the table unqualified; it runs with the migration's database selected.
      for (const t of creates) if (!(await tableExists(this.conn, db, t.table))) await this.conn.query(t.statement);
    };
    try {
      await this.conn.query(`USE ${quoteIdent(db)}`);
      const renames = forwardRenames(this.tables);
      let stallMs = 0;
      let attemptsMs: number[] = [];
      if (renames.length) {
        const plan: SwapPlan = {
          db,
          renames,
          lock: [...forwardLocks(db, this.tables), ...this.keys.childLocks()],
          catchUp: catchUpForward,
          finalDrain: async (a) => {
            for (const t of altered) await drainAll(a, forwardRoute(db, t, false), { locked: true });
            await refuseCollapsedRows(a, db, uniqueAdds);
          },
          beforeRename: createTables,
          afterDrain: async (a) => {
            await this.keys.linkForSwap('forward', a);
            await moveAllTriggers(a, db, altered, 'forward');
          },
          undoAfterDrain: async (a) => {
            await this.keys.settle('old', a);
            await this.settleTriggers('before', a);
          },
        };
        ({ stallMs, attemptsMs } = await atomicSwap(this.target, this.conn, plan, { ...this.swapOptions, onBlocked }));
      } else {
        await createTables();
      }
      stallMs += await this.reconcileLateWrites('forward');
      // The RENAME carried the keys linked under its locks; this only repairs what a cut-short swap left.
      await this.keys.settle('new');
      await this.settleTriggers('after');
      await this.settle('cut_over', true, null);
      if (!this.keepsOldSideCapture) await this.dropOldSideCapture().catch(() => undefined);
      await this.analyzeOldTables();
      return { stallMs, attemptsMs };
    } catch (err) {
      if (await this.nameSwapApplied('cutting_over')) {
        // Left 'cutting_over' if this throws: load() settles the keys again.
        await this.keys.settle('new');
        await this.settleTriggers('after');
        await this.settle('cut_over', true, null);
        return { stallMs: 0, attemptsMs: [] };
      }
      for (const t of creates) await this.conn.query(dropTable(db, t.table)).catch(() => undefined);
      await this.keys.settle('old');
      await this.settleTriggers('before');
      await this.settle('ready_to_cut_over', false, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private get swapOptions(): SwapOptions {
    return { lockWaitSeconds: this.opts.lockWaitSeconds, attempts: this.opts.cutOverAttempts, blockerWaitSeconds: this.opts.blockerWaitSeconds, killBlockersAfterSeconds: this.opts.killBlockersAfterSeconds, onKilled: async (killed) => this.onBlockersKilled?.(killed) };
  }

  private settleTriggers(side: 'before' | 'after', conn: Connection = this.conn): Promise<void> {
    return settleAllTriggers(conn, this.run.database, this.tables, side);
  }

  /** The foreign keys of this migration's swaps (a view over the same table records). */
  private get keys(): ForeignKeySwap {
    return new ForeignKeySwap(this.conn, this.run.database, this.run.id, this.tables);
  }

  private reconcileLateWrites(direction: 'forward' | 'reverse'): Promise<number> {
    return settleLateWrites(this.target, this.conn, this.run.database, this.tables, direction, this.opts.lockWaitSeconds * 5);
  }

  /**
   * With more than one table in the swap, an altered table may not be the one
   * the RENAME queues on first, so late writes are possible at revert too, and
   * settling them needs capture on the old tables.
   */
  private get keepsOldSideCapture(): boolean {
    return this.tables.length > 1;
  }

  /**
   * After cut-over only the engine writes to the old tables (its writes are
   * never captured), so their capture triggers have no work left; dropping
   * them early keeps them out of the revert's RENAME, which is slower per trigger.
   */
  private async dropOldSideCapture(): Promise<void> {
    for (const t of this.tables) if (t.kind === 'alter_table') await dropTriggers(this.conn, this.run.database, this.run.id, t, ['o']);
  }

  /**
   * The old tables are the drain's target for the whole revert window, and
   * the statistics of a table filled since the server last sampled it can say
   * it holds a hundred rows: then every DELETE of a batch of keys scans the
   * whole table (seconds per batch under load, so the window sync and the
   * revert never catch up). Once renamed away only the engine touches them,
   * so sampling them costs the application nothing. Best effort: stale
   * statistics make the window slow, not wrong.
   */
  private async analyzeOldTables(): Promise<void> {
    for (const t of this.tables) if (t.kind === 'alter_table') await this.conn.query(analyzeTable(this.run.database, t.old)).catch(() => undefined);
  }

  /** Keeps the old tables in sync in the background while this process lives (the triggers capture changes regardless). */
  startWindowSync(intervalMs = 250): void {
    this.expect('cut_over');
    this.window ??= new RevertWindowSync(this.target, this.run.database, this.tables, intervalMs);
    this.window.start();
  }

  /** How the background sync is doing: its last error, and rows that do not fit the old schema (revert would refuse them). */
  get windowSyncStatus(): { running: boolean; lastError: string | undefined; problems: string[] } {
    const w = this.window;
    return { running: w?.running ?? false, lastError: w?.lastError, problems: w ? [...w.stuck].map(([table, s]) => describeStuck(table, s)) : [] };
  }

  async stopWindowSync(): Promise<void> {
    await this.window?.stop();
  }

  /** Applies every pending change to the old tables; whatever does not fit the old schema is a problem. */
  private async revertProblems(): Promise<string[]> {
    await this.stopWindowSync();
    const stuck = new Map<string, StuckRow[]>();
    await syncBack(this.conn, this.run.database, this.tables, stuck);
    return [...[...stuck].map(([table, s]) => describeStuck(table, s)), ...(await this.keys.problems('reverse'))];
  }

  async preflightRevert(): Promise<{ ok: boolean; problems: string[]; warnings: string[] }> {
    this.expect('cut_over');
    const problems = await this.revertProblems();
    const warnings = await revertWarnings(this.conn, this.run.database, this.tables);
    return { ok: problems.length === 0, problems, warnings };
  }

  /** Puts the old schema back by swapping names: no row copy, every row written since the deploy kept. */
  async revert(): Promise<{ stallMs: number }> {
    this.expect('cut_over');
    const problems = await this.revertProblems();
    if (problems.length) throw new RevertRefused(problems);
    const db = this.run.database;
    if (!this.keepsOldSideCapture) await this.dropOldSideCapture();
    await this.keys.recordIncoming();
    await this.mark('cut_over', 'reverting');
    try {
      const { stallMs } = await atomicSwap(
        this.target,
        this.conn,
        {
          db,
          renames: reverseRenames(this.tables),
          lock: [...reverseLocks(db, this.tables), ...this.keys.childLocks()],
          // Rows that do not fit the old schema are not applied, so they do not count as backlog here; the final drain refuses them.
          catchUp: () => catchUp(() => syncBack(this.conn, db, this.tables, new Map()), this.tables.map((t) => t.table).join(', ')),
          finalDrain: async (a) => {
            for (const t of this.tables) {
              if (t.kind !== 'alter_table') continue;
              const res = await drainAll(a, backRoute(db, t), { locked: true });
              if (res.stuck.length) throw new RevertRefused([describeStuck(t.table, res.stuck)]);
            }
          },
          afterDrain: async (a) => {
            await this.keys.linkForSwap('reverse', a);
            await moveAllTriggers(a, db, this.tables, 'reverse');
          },
          undoAfterDrain: async (a) => {
            await this.keys.settle('new', a);
            await this.settleTriggers('after', a);
          },
        },
        this.swapOptions,
      );
      const lateMs = await this.reconcileLateWrites('reverse');
      await this.keys.settle('old');
      await this.settleTriggers('before');
      await this.settle('reverted', false, null);
      await this.cleanUp(true).catch(() => undefined);
      return { stallMs: stallMs + lateMs };
    } catch (err) {
      const applied = await this.nameSwapApplied('reverting');
      await this.keys.settle(applied ? 'old' : 'new');
      await this.settleTriggers(applied ? 'before' : 'after');
      await this.settle(applied ? 'reverted' : 'cut_over', false, applied ? null : err instanceof Error ? err.message : String(err));
      if (applied) return { stallMs: 0 };
      throw err;
    }
  }

  /** Closes the window: drops the old tables, the triggers and the changelogs. After a revert, drops the new-schema tables instead. */
  async finish(): Promise<void> {
    this.expect('cut_over', 'reverted', 'finished');
    await this.stopWindowSync();
    await this.cleanUp(this.run.phase !== 'cut_over');
    if (this.run.phase === 'cut_over') await this.settle('finished', false);
  }

  /** Before cut-over: removes shadows, triggers and changelogs; the original tables are untouched. */
  async abort(): Promise<void> {
    this.expect('prepared', 'copying', 'ready_to_cut_over', 'aborted');
    await this.cleanUp(true);
    await this.settle('aborted', false);
  }

  /** `dropNewSchema`: drop the shadow-named tables (before cut-over or after revert); otherwise drop the old-named ones. */
  private async cleanUp(dropNewSchema: boolean): Promise<void> {
    const db = this.run.database;
    // Every trigger first, each waiting for the table to be free rather than making its writes queue.
    await dropRunTriggers(this.conn, db, this.run.id, { lockWaitMs: this.opts.lockWaitSeconds * 1000, deadlineMs: this.opts.blockerWaitSeconds * 1000 });
    for (const t of this.tables) {
      await this.conn.query(dropTable(db, dropNewSchema ? t.shadow : t.old));
      if (t.changelog) await this.conn.query(dropTable(METADATA_DB, t.changelog));
    }
    await forgetDeferredIndexes(this.conn, this.run.id);
  }

  /** Changes the copy's chunk target and load limit while it runs; the next chunk uses them. */
  tune(t: CopyTuning): void {
    if (t.chunkTargetMs !== undefined) this.tuning.chunkTargetMs = t.chunkTargetMs;
    if (t.maxThreadsRunning !== undefined) this.tuning.maxThreadsRunning = t.maxThreadsRunning;
  }

  pause(): void {
    if (this.paused) return;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.paused = { promise, resolve };
  }

  resume(): void {
    this.paused?.resolve();
    this.paused = undefined;
  }

  async close(): Promise<void> {
    this.resume();
    await this.stopWindowSync();
    await this.replicaWatchOpen?.close();
    await this.conn.end().catch(() => undefined);
  }
}
