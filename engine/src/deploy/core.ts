/**
 * What every deploy request operation shares: the target, the store, the
 * migration engine and the one function that moves a request and tells the
 * watchers.
 */
import type { CopyTuning } from '../migration/index.js';
import type { Pool } from 'mysql2/promise';
import type { ServerTarget } from '../db/target.js';
import type { LintConfig } from '../lint/violation.js';
import type { DeployEvents } from './events.js';
import type { MigrationOptions } from '../migration/index.js';
import type { MigrationEngine } from './migrations.js';
import type { DeployRequest } from './record.js';
import type { DeployAction } from './state.js';
import type { DeployStore } from './store.js';
import type { PatchValue } from './store-sql.js';

export interface DeployRequestsOptions {
  target: ServerTarget;
  /** main's database on the target: what deploys change. */
  mainDatabase: string;
  /** Where a branch lives on the server (engine/src/branch/names.ts branchDatabase). */
  branchDatabase: (branch: string) => string;
  lint?: LintConfig;
  /** How long revert stays possible after a cut-over; 0 finishes right after the cut-over. Default 1800. */
  revertWindowSeconds?: number;
  /** Approvals of the current diff, by people other than the author, a deploy needs (reviews.ts). Default 0. */
  requireApprovals?: number;
  /** Passed to the migration engine untouched. */
  migration?: MigrationOptions;
  /** The online migration engine: the real one (onlineMigrations) unless a test wraps it to make a step fail. */
  migrations?: MigrationEngine;
}

export const DEFAULT_REVERT_WINDOW_SECONDS = 30 * 60;

export interface DeployCore {
  readonly opts: DeployRequestsOptions;
  readonly target: ServerTarget;
  readonly pool: Pool;
  readonly store: DeployStore;
  readonly events: DeployEvents;
  readonly migrations: MigrationEngine;
  /** CURRENT_USER() of our connections, for `opened_by` and the event log. */
  actor(): Promise<string>;
  /** Moves a request through the state machine, stores `patch`, and emits the state (and window) events. */
  move(id: number, action: DeployAction, patch: Record<string, PatchValue>, message: string, check?: (r: DeployRequest) => void): Promise<DeployRequest>;
  /** AbortControllers of the deploys this process runs, so cancel() reaches them without a round trip. */
  readonly running: Map<number, AbortController>;
  /** The copies this process runs, so pause()/resume() reach them without a round trip. */
  readonly copies: Map<number, PausableCopy>;
}

/** What pause/resume need of a running copy (CopyProgress). */
export interface PausableCopy {
  readonly canPause: boolean;
  setPaused(paused: boolean): void;
  /** Passes new settings to the running copy (tune.ts). */
  tune(t: CopyTuning): void;
}

/**
 * Whether every reason a request is not deployable concerns the online copy only
 * (a cascading key the copy cannot see, triggers, keys): an instant or in-server
 * deploy copies nothing, so those reasons leave its path open.
 */
export function onlyCopyRefused(reasons: readonly string[]): boolean {
  return reasons.length > 0 && reasons.every((r) => r.startsWith('online-migration: '));
}

export class NotDeployableError extends Error {
  constructor(
    readonly id: number,
    readonly reasons: string[],
  ) {
    const onMain = reasons.some((r) => r.startsWith('online-migration: '));
    const copyOnly = onlyCopyRefused(reasons);
    super(
      `deploy request #${id} is not deployable:\n${reasons.map((r) => `  - ${r}`).join('\n')}\n` +
        `Fix ${onMain ? 'what each reason names (the branch\'s schema files, or main itself for online-migration)' : "the branch's schema files"}, then close this request and open a new one.` +
        (copyOnly ? ` These reasons are about the online copy only: if the server can make the change without copying the table, \`schemabranch deploy-request deploy ${id} --instant\` deploys it (it says first whether it can).` : ''),
    );
    this.name = 'NotDeployableError';
  }
}

/** Another deploy holds the target; says who, and how to queue behind it. */
export class DeployBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployBusyError';
  }
}

/** main changed under a request in a way its changes cannot be rebased over. */
export class MainMovedError extends Error {
  constructor(
    readonly id: number,
    readonly tables: string[],
  ) {
    super(
      `deploy request #${id} cannot be deployed: main changed since it was opened, in the table${tables.length > 1 ? 's' : ''} it changes (${tables.join(', ')}). ` +
        'Its statements were written against the old definitions and would undo or clash with what main has now. ' +
        'Re-open the deploy request: close it, bring the branch up to date with main (re-create the branch or apply main\'s change to its files), and run `deploy-request create` again.',
    );
    this.name = 'MainMovedError';
  }
}

export class NoChangesError extends Error {
  constructor(branch: string, mainDatabase: string) {
    super(`Branch ${branch} has no schema changes against main (${mainDatabase}): there is nothing to deploy. Edit the branch's .sql files and apply them to the branch database first.`);
    this.name = 'NoChangesError';
  }
}
