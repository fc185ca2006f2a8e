/**
 * The workspace configuration, `schemabranch.json` at the workspace root, with
 * every default applied. Documented for editors by docs/schemabranch.schema.json.
 * It never holds a password: that comes from SCHEMABRANCH_PASSWORD or the editor's secret store.
 */
export type LintSeverity = 'error' | 'warning' | 'info' | 'off';

export interface SandboxConfig {
  /**
   * Data folder of the embedded server: absolute, and always inside the
   * workspace. The server binary is deliberately not here: a repository must
   * not name a program to run (see SandboxBinarySource in db/connection.ts).
   */
  dir: string;
}

export interface ConnectionConfig {
  /** `mysql://user@host:port` (or `?socket=/path`); absent = the embedded sandbox. */
  url?: string;
  sandbox: SandboxConfig;
}

export interface LintConfig {
  /** Per-rule severity overrides, by rule code. */
  severity: Record<string, LintSeverity>;
  /** Character sets the `charset` rule allows; empty = the rule's own default. */
  charsets: string[];
}

export interface MigrationConfig {
  /** How long one row-copy chunk should take; the chunk size adapts to it. */
  chunkTargetMs: number;
  /** Copying pauses while the server's Threads_running is above this. */
  maxThreadsRunning: number;
  /** Longest wait of one cut-over attempt for its metadata locks (writes queue meanwhile); fractions allowed. */
  lockWaitSeconds: number;
  /** Opt-in: after this long waiting for connections that hold the tables at cut-over or revert, kill them (0 = never). */
  killBlockersAfterSeconds: number;
  /** Replicas to watch, as URLs (no password: the connection's own is used); the copy pauses while one lags more than maxReplicaLagMs. */
  replicas: string[];
  maxReplicaLagMs: number;
}

export interface WorkspaceConfig {
  /** main's database name; branch `x` lives in `<database>__x`. */
  database: string;
  /** Folder holding one sub-folder per branch, relative to the workspace root. */
  schemaDir: string;
  connection: ConnectionConfig;
  revertWindowMinutes: number;
  /** Deploys stop at pending_cutover until someone confirms the cut-over. */
  gatedDeploys: boolean;
  /** Approvals of a request's current diff, by people other than its author, before it can deploy. */
  requireApprovals: number;
  lint: LintConfig;
  migration: MigrationConfig;
  /** Absolute path of the file the values came from; undefined when there is none (all defaults). */
  file?: string;
}

export const CONFIG_FILE = 'schemabranch.json';

export const DEFAULTS = {
  schemaDir: 'schema',
  sandboxDir: '.schemabranch/sandbox',
  revertWindowMinutes: 30,
  gatedDeploys: false,
  requireApprovals: 0,
  migration: { chunkTargetMs: 500, maxThreadsRunning: 50, lockWaitSeconds: 0.8, killBlockersAfterSeconds: 0, replicas: [], maxReplicaLagMs: 1000 } satisfies MigrationConfig,
} as const;
