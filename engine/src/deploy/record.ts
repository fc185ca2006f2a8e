import type { ObjectStatement } from './objects.js';
import type { SchemaChange } from '../diff/change.js';
import type { Table } from '../schema/model.js';
import type { InstantStatement } from '../migration/instant.js';
import type { CopyTuning } from '../migration/index.js';
import type { DeployState } from './state.js';

/**
 * One change as stored with a deploy request. The before/after tables are
 * kept (the migration engine may need them when it resumes in another
 * process) but without source locations, which mean nothing on the server.
 */
export type StoredChange = SchemaChange;

/** A lint finding as stored: plain text, so `show` works without the lint module. */
export interface LintFinding {
  code: string;
  severity: string;
  message: string;
  table?: string;
}

export interface LintVerdict {
  deployable: boolean;
  /** Every reason the request is not deployable (errors), empty when deployable. */
  reasons: string[];
  findings: LintFinding[];
}

export interface TableProgressRecord {
  table: string;
  rowsCopied: number;
  rowsTotal: number;
  percent: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
}

export interface DeployError {
  message: string;
  /** True when running the same command again cannot lose or corrupt data. */
  retrySafe: boolean;
  /** What was running: 'deploy', 'cutover', 'revert', 'finish' or 'resume'. */
  during: string;
  /** What to do next, in words. */
  next: string;
}

export interface DeployRequest {
  id: number;
  branch: string;
  branchDatabase: string;
  targetDatabase: string;
  state: DeployState;
  changes: StoredChange[];
  lint: LintVerdict;
  /** Per-table fingerprints of main's live schema when the request was opened (or last rebased). */
  mainFingerprints: Record<string, string>;
  gated: boolean;
  migrationId: string | null;
  openedBy: string;
  /** `host:pid` of the process working on it, for the crash check. */
  owner: string | null;
  cancelRequested: boolean;
  /** The row copy is paused (or asked to pause) by `pause`; `resume` clears it. */
  paused: boolean;
  /** Chunk target and load limit set on the running copy (`tune`), null when never tuned: they win over the configuration. */
  tuning: CopyTuning | null;
  /** Deployed instantly and revertible: the statements that undo it (null for an online deploy, or one not revertible). */
  instantUndo: InstantStatement[] | null;
  /** The statements that put back the objects the request changed (deploy/objects.ts), recorded before they change; null when it changes none. */
  objectUndo: ObjectStatement[] | null;
  progress: TableProgressRecord[];
  error: DeployError | null;
  revertWindowSeconds: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  cutOverAt: string | null;
  windowDeadline: string | null;
  finishedAt: string | null;
}

export interface DeployEvent {
  id: number;
  requestId: number;
  at: string;
  fromState: DeployState | null;
  toState: DeployState;
  message: string;
  actor: string;
}

export function storedChange(c: SchemaChange): StoredChange {
  const out: StoredChange = { ...c };
  if (c.before) out.before = withoutSources(c.before);
  if (c.after) out.after = withoutSources(c.after);
  return out;
}

function withoutSources(t: Table): Table {
  const strip = <T extends { source?: unknown }>(x: T): T => {
    const { source: _s, ...rest } = x;
    return rest as T;
  };
  const { source: _s, nameSource: _n, ...rest } = t;
  return { ...rest, columns: t.columns.map(strip), indexes: t.indexes.map(strip), foreignKeys: t.foreignKeys.map(strip), checks: t.checks.map(strip) };
}
