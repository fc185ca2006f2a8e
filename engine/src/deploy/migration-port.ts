/**
 * What deploy requests need from the online migration engine
 * (engine/src/migration/), and the real engine behind it. The interface stays
 * because it is the one seam tests use: they wrap the real engine to make one
 * step fail the way a lost connection would.
 */
import type { Connection } from 'mysql2/promise';
import type { SchemaChange } from '../diff/change.js';
import type { ServerTarget } from '../db/target.js';
import { OnlineMigration, type CopyTuning, type MigrationOptions, type MigrationPhase, type TableProgress, type Verification } from '../migration/index.js';
import { onlineProblems } from '../migration/preflight.js';
import type { Blocker } from '../migration/blockers.js';

export type { MigrationOptions, MigrationPhase, TableProgress };

export interface RevertPreflight {
  ok: boolean;
  problems: string[];
  warnings: string[];
}

export interface Migration {
  readonly phase: MigrationPhase;
  copy(onProgress?: (p: TableProgress[]) => void, signal?: AbortSignal, onWait?: (reason: string, detail?: string) => void): Promise<unknown>;
  cutOver(): Promise<{ stallMs: number }>;
  /** Told of connections a cut-over or revert killed (migration.killBlockersAfterSeconds); optional for replacement engines. */
  onBlockersKilled?: (killed: Blocker[]) => Promise<void> | void;
  preflightRevert(): Promise<RevertPreflight>;
  revert(): Promise<{ stallMs: number }>;
  finish(): Promise<unknown>;
  abort(): Promise<unknown>;
  close(): Promise<unknown>;
  /** Holds the row copy between chunks until resume(); optional so replacement engines without it still fit (pause is then refused). */
  pause?(): void;
  resume?(): void;
  /** Changes the chunk target and load limit of a running copy; optional for replacement engines (tune then only applies to the next copy). */
  tune?(t: CopyTuning): void;
  /** Compares each copy with its original before the cut-over; optional for replacement engines (verify is then refused). */
  verify?(): Promise<Verification>;
}

export interface MigrationEngine {
  prepare(target: ServerTarget, database: string, id: number, changes: SchemaChange[], opts?: MigrationOptions): Promise<Migration>;
  load(target: ServerTarget, id: number, opts?: MigrationOptions): Promise<Migration>;
  /** Why `changes` cannot run online on `database` as it is now (read from the server); empty when they can. */
  onlineProblems?(conn: Connection, database: string, changes: SchemaChange[]): Promise<string[]>;
}

/** The online migration engine itself. */
export const onlineMigrations: MigrationEngine = {
  prepare: (target, database, id, changes, opts) => OnlineMigration.prepare(target, database, id, changes, opts),
  load: async (target, id, opts) => {
    const m = await OnlineMigration.load(target, id, opts);
    if (!m) throw new Error(`The online migration #${id} is not recorded on the server (_schemabranch.migration_runs): it cannot be resumed, cut over or reverted from here.`);
    return m;
  },
  onlineProblems,
};

/** An error from the migration engine may say itself whether retrying is safe. */
export function retrySafeOf(err: unknown): boolean | undefined {
  if (err !== null && typeof err === 'object' && 'retrySafe' in err) {
    const v = (err as { retrySafe: unknown }).retrySafe;
    if (typeof v === 'boolean') return v;
  }
  return undefined;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

