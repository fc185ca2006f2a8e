/**
 * Every custom LSP message of schemabranch, declared once. The language server
 * (server/) and the extension (client/) both import this module, so a method
 * name or a payload shape cannot drift between the two sides.
 *
 * Rules for this file:
 * - it imports only vscode-languageserver-protocol (no engine, no vscode), so
 *   both bundles can include it;
 * - payloads are plain JSON data (no classes, no Dates: times are ISO strings);
 * - every message is documented in docs/lsp-extensions.md.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** A custom request: the method name and its typed handle, declared together. */
function request<P, R>(method: string): { readonly method: string; readonly type: RequestType<P, R, void> } {
  return { method, type: new RequestType<P, R, void>(method) };
}

/** A custom notification, declared the same way. */
function notification<P>(method: string): { readonly method: string; readonly type: NotificationType<P> } {
  return { method, type: new NotificationType<P>(method) };
}

// ---------------------------------------------------------------- shared data

/** How risky a change is to deploy (same words as the engine's ChangeClass). */
export type ChangeClass = 'safe' | 'destructive' | 'data-dependent' | 'needs-decision';

export interface ChangeReasonInfo {
  class: ChangeClass;
  /** Stable code shared with lint rules, e.g. 'drop-column'. */
  code: string;
  message: string;
  column?: string;
  index?: string;
}

/** One statement of a diff, ready to show or execute. */
export interface SchemaChangeInfo {
  table: string;
  kind: 'create_table' | 'drop_table' | 'alter_table' | 'create_object' | 'replace_object' | 'drop_object';
  statement: string;
  /** Worst class among `reasons` ('safe' when there are none). */
  class: ChangeClass;
  reasons: ChangeReasonInfo[];
}

/** A lint finding on a diff or a branch, as the CLI and the tree view show it. */
export interface LintFinding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  suggestion?: string;
  table?: string;
  column?: string;
  /** A file URI and range when the finding points at source. */
  location?: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };
}

/**
 * Why a request that needs the database (or the engine API) cannot run.
 * Returned as the `data` of a ResponseError so the client can offer the fix.
 */
export interface UnavailableReason {
  reason: 'no-config' | 'no-password' | 'no-passphrase' | 'server-unreachable' | 'not-supported' | 'branch-missing' | 'busy' | 'untrusted';
  /** What the user should do next, in one sentence. */
  message: string;
  /** True when simply retrying later may succeed (e.g. server restarting). */
  retrySafe: boolean;
}

// ---------------------------------------------------------------- branch diff

export interface BranchDiffParams {
  /** Branch name, i.e. the folder schema/<branch>/. */
  branch: string;
  /** Branch to compare against; default 'main'. */
  base?: string;
}

export interface BranchDiffResult {
  branch: string;
  base: string;
  /** Statements that turn `base` into `branch`, in execution order. */
  changes: SchemaChangeInfo[];
  /** Lint findings on the changes (deploy-time rules). */
  lint: LintFinding[];
  /** True when no finding has severity 'error'. */
  deployable: boolean;
  /** Files of either branch that failed to parse: the diff ignores what they would have declared. */
  unparsedFiles: string[];
}

/** The whole diff of a branch against its base, computed from the files (open buffers win over disk). */
export const BranchDiffRequest = request<BranchDiffParams, BranchDiffResult>('schemabranch/branchDiff');

// ---------------------------------------------------------------- deploy requests

/** The engine's states (engine/src/deploy/state.ts), PlanetScale's trimmed; errors say whether a retry is safe. */
export type DeployRequestState =
  | 'open'
  | 'queued'
  | 'in_progress'
  | 'pending_cutover'
  | 'complete_pending_revert'
  | 'complete'
  | 'in_progress_revert'
  | 'complete_revert'
  | 'cancelled'
  | 'closed'
  | 'error_retryable'
  | 'error_needs_attention';

export interface DeployRequestInfo {
  number: number;
  branch: string;
  /** Branch the request deploys into (normally 'main'). */
  into: string;
  state: DeployRequestState;
  deployable: boolean;
  createdAt: string;
  updatedAt: string;
  /** Set while the revert window is open: when it closes (ISO 8601, UTC). */
  revertDeadline?: string;
  /** In an error state: what went wrong and whether a retry is safe. */
  error?: { message: string; retrySafe: boolean };
  notes?: string;
  /** True while an in_progress deploy's row copy is paused (PauseDeployRequest, or `deploy-request pause` in the CLI). */
  paused?: boolean;
}

export interface DeployRequestDetail extends DeployRequestInfo {
  changes: SchemaChangeInfo[];
  lint: LintFinding[];
}

export interface DeployRequestRef {
  number: number;
}

export interface CreateDeployRequestParams {
  branch: string;
  into?: string;
  notes?: string;
}

export interface ListDeployRequestsParams {
  /** Only these states; all when absent. */
  states?: DeployRequestState[];
}

export interface DeployParams extends DeployRequestRef {
  /** Stop in 'pending_cutover' until ApplyDeployRequest. */
  gated?: boolean;
  /** Let the server change only table metadata (no row copy); refused when it cannot. */
  instant?: boolean;
}

/** Whether a request can be deployed instantly, and reverted instantly, as the server answered just now. */
export interface InstantVerdictInfo {
  instant: boolean;
  /** 'instant': metadata only; 'in-server': the server's online ALTER without a copy (replicas lag while it runs). */
  method?: 'instant' | 'in-server';
  revertible: boolean;
  why: string;
}

export const CreateDeployRequest = request<CreateDeployRequestParams, DeployRequestDetail>('schemabranch/deployRequest/create');
export const ListDeployRequests = request<ListDeployRequestsParams, DeployRequestInfo[]>('schemabranch/deployRequest/list');
export const ShowDeployRequest = request<DeployRequestRef, DeployRequestDetail>('schemabranch/deployRequest/show');
/**
 * Starts the deploy and answers as soon as it is accepted (state 'queued' or
 * 'in_progress'). Progress, state changes and the revert window arrive as
 * notifications; the client never polls.
 */
export const DeployDeployRequest = request<DeployParams, DeployRequestInfo>('schemabranch/deployRequest/deploy');
export const InstantVerdictRequest = request<DeployRequestRef, InstantVerdictInfo>('schemabranch/deployRequest/instantVerdict');
/** One copied table compared with main: rows and time, and each row that differs, named by its key. */
export interface TableVerificationInfo {
  table: string;
  rows: number;
  chunks: number;
  ms: number;
  /** Rows that differed only because a change to them was still waiting to be copied. */
  inFlight: number;
  differences: { key: Record<string, string>; problem: 'missing from the new table' | 'only in the new table' | 'differs' }[];
}

export interface CopyVerificationInfo {
  ok: boolean;
  ms: number;
  tables: TableVerificationInfo[];
}

/** Compares each copy of a gated deploy waiting in 'pending_cutover' with main, row for row: the checksum every cut-over runs first. */
export const VerifyDeployRequest = request<DeployRequestRef, CopyVerificationInfo>('schemabranch/deployRequest/verify');
/** Cut over a gated deploy waiting in 'pending_cutover'. */
export const ApplyDeployRequest = request<DeployRequestRef, DeployRequestInfo>('schemabranch/deployRequest/apply');
export const RevertDeployRequest = request<DeployRequestRef, DeployRequestInfo>('schemabranch/deployRequest/revert');
export const SkipRevertDeployRequest = request<DeployRequestRef, DeployRequestInfo>('schemabranch/deployRequest/skipRevert');
export interface TuneParams extends DeployRequestRef {
  chunkTargetMs?: number;
  maxThreadsRunning?: number;
}
/** Changes a copy's chunk target and Threads_running limit while it runs (or for when it runs). */
export const TuneDeployRequest = request<TuneParams, DeployRequestInfo>('schemabranch/deployRequest/tune');
export interface ReviewParams extends DeployRequestRef {
  approve?: boolean;
  comment?: string;
}
/** Approves and/or comments as the user the server connects as; answers with the request and how many approve its current diff. */
export const ReviewDeployRequest = request<ReviewParams, DeployRequestInfo & { approvals: number }>('schemabranch/deployRequest/review');
export const CancelDeployRequest = request<DeployRequestRef, DeployRequestInfo>('schemabranch/deployRequest/cancel');
/**
 * Holds an in_progress deploy's row copy after the chunk under way, whichever
 * process runs it (answers at once; the copy stops at its next progress beat).
 * Refused for any other state. Cancel still works while paused.
 */
export const PauseDeployRequest = request<DeployRequestRef, DeployRequestInfo>('schemabranch/deployRequest/pause');
/** Lets a paused row copy go on (in_progress only). */
export const ResumeDeployRequest = request<DeployRequestRef, DeployRequestInfo>('schemabranch/deployRequest/resume');
export const CloseDeployRequest = request<DeployRequestRef, DeployRequestInfo>('schemabranch/deployRequest/close');

/** A token of a statement, by offsets into it: the server's one SQL lexer classifies, the page only paints. */
export interface SqlSpan {
  start: number;
  end: number;
  kind: 'keyword' | 'identifier' | 'string' | 'number' | 'operator' | 'comment';
}

/** One history line: a state change or a note (a review, a pause), by whom and when. */
export interface DeployEventInfo {
  at: string;
  from?: DeployRequestState;
  to: DeployRequestState;
  message: string;
  actor: string;
}

export interface DeployReviewInfo {
  at: string;
  actor: string;
  kind: 'approve' | 'comment';
  body?: string;
  /** False when the request's statements changed since this review (an approval then no longer counts). */
  current: boolean;
}

/** A table's copy as the server last stored it (the live figures then come by DeployProgressNotification). */
export interface TableProgressInfo {
  table: string;
  rowsCopied: number;
  rowsTotal: number;
  percent: number;
  rowsPerSecond: number;
  etaSeconds?: number;
}

/** Everything the deploy request page shows that the client does not keep itself. */
export interface DeployRequestPageInfo extends DeployRequestDetail {
  /** The server user who opened it (CURRENT_USER() of its connection). */
  openedBy: string;
  /** main's database on the server. */
  targetDatabase: string;
  startedAt?: string;
  cutOverAt?: string;
  finishedAt?: string;
  /** Each statement with its tokens, for highlighting. */
  changes: (SchemaChangeInfo & { spans: SqlSpan[] })[];
  /** Each finding with its rule's documentation (a file URI with a fragment), when it has one. */
  lint: (LintFinding & { doc?: string })[];
  /** Each reason the request is not deployable (empty when it is). */
  notDeployableReasons: string[];
  progress: TableProgressInfo[];
  history: DeployEventInfo[];
  reviews: DeployReviewInfo[];
  /** People other than the author who approved the current statements. */
  approvers: string[];
  /** Approvals a deploy needs (requireApprovals in schemabranch.json; 0: none). */
  requiredApprovals: number;
}

/** The request, its history and its reviews in one answer: what the deploy request page shows. */
export const DeployRequestPageRequest = request<DeployRequestRef, DeployRequestPageInfo>('schemabranch/deployRequest/page');

export interface DeployProgressParams {
  number: number;
  table: string;
  phase: 'copying' | 'catching-up' | 'waiting-cutover' | 'cutting-over' | 'done';
  rowsCopied: number;
  /** Estimated total rows (from the server's statistics); may grow while copying. */
  rowsTotal: number;
  /** 0..100. */
  percent: number;
  /** Seconds until this table's copy completes; absent until a rate is known. */
  etaSeconds?: number;
  /** True while the copy is paused (`schemabranch/deployRequest/pause`); repeated while it stays paused. */
  paused?: boolean;
  /** Why the copy waits by itself (a replica behind, the server busy), until its next chunk. */
  throttled?: string;
  /** This table's copy rate, rows per second (absent until a rate is known). */
  rowsPerSecond?: number;
}

export interface DeployStateChangedParams {
  number: number;
  previous?: DeployRequestState;
  state: DeployRequestState;
  /** Human-readable detail, e.g. the error that stopped the deploy. */
  message?: string;
  /** In an error state: whether deploying again is safe (error_retryable). */
  retrySafe?: boolean;
  at: string;
}

export interface RevertWindowParams {
  number: number;
  /** When the window closes (ISO 8601, UTC); null when it has closed (reverted, skipped or expired). */
  deadline: string | null;
  /** Tables that revert would swap back. */
  tables: string[];
}

/** Server -> client: per-table copy progress while a deploy runs. */
export const DeployProgressNotification = notification<DeployProgressParams>('schemabranch/deployProgress');
/** Server -> client: every state transition of any deploy request the server sees. */
export const DeployStateChangedNotification = notification<DeployStateChangedParams>('schemabranch/deployStateChanged');
/** Server -> client: a revert window opened (absolute deadline) or closed (deadline null). */
export const RevertWindowNotification = notification<RevertWindowParams>('schemabranch/revertWindow');

// ---------------------------------------------------------------- branches

export interface BranchInfo {
  name: string;
  /** Folder relative to the workspace root, e.g. 'schema/feature-x'. */
  folder: string;
  /** Database name on the server, when known. */
  database?: string;
  /** Number of .sql files in the folder. */
  files: number;
  /** Tables, views, triggers, routines and events the branch creates, changes or drops against main, from the files. */
  changesVsMain: number;
  /** Open deploy request for this branch, if any. */
  deployRequest?: number;
}

export interface CreateBranchParams {
  name: string;
  /** Branch to copy; default 'main'. */
  from?: string;
}

export interface BranchRef {
  name: string;
}

export interface BranchSyncResult {
  branch: string;
  /** Statements executed (push) or files written (pull). */
  applied: string[];
}

export const CreateBranchRequest = request<CreateBranchParams, BranchInfo>('schemabranch/branch/create');
export const DeleteBranchRequest = request<BranchRef, { deleted: string }>('schemabranch/branch/delete');
export const ListBranchesRequest = request<Record<string, never>, BranchInfo[]>('schemabranch/branch/list');
/** Make the branch database match the branch's files. */
/**
 * A push: `dryRun` answers the statements without running any (CREATE DATABASE
 * first when there is one); `expect` runs them only if they are exactly those
 * (the ones the user was shown), else fails with nothing run.
 */
export interface PushBranchParams extends BranchRef {
  dryRun?: boolean;
  expect?: string[];
}

export const PushBranchRequest = request<PushBranchParams, BranchSyncResult>('schemabranch/branch/push');
/** Write the branch database's schema into the branch's files. */
export const PullBranchRequest = request<BranchRef, BranchSyncResult>('schemabranch/branch/pull');

// ---------------------------------------------------------------- sandbox and connection

export type SandboxStatusInfo =
  | { running: true; server: string; socketPath: string; port: number; startedAt: string }
  | { running: false; reason: string };

export const SandboxStartRequest = request<Record<string, never>, SandboxStatusInfo>('schemabranch/sandbox/start');
export const SandboxStopRequest = request<Record<string, never>, SandboxStatusInfo>('schemabranch/sandbox/stop');
export const SandboxStatusRequest = request<Record<string, never>, SandboxStatusInfo>('schemabranch/sandbox/status');

/**
 * Passwords reach the server out of band, never as a message (a verbose LSP
 * trace would print it): the client starts the server with this environment
 * variable holding a JSON object `{ "<user@host:port>": "<password>" }`, one
 * entry per server a password was saved for. The server reads it once,
 * removes it from its environment (programs it starts never inherit it), and
 * sends each password only to the server of its key.
 */
export const SAVED_PASSWORDS_ENV = 'SCHEMABRANCH_SAVED_PASSWORDS';

/**
 * The key an SSH key file's passphrase is saved under in that same object. It
 * has no `@`, so it is never a server's key: a passphrase goes to nobody, it
 * only opens the key file the user's machine-scoped `schemabranch.ssh.keyFile` names.
 */
export function sshKeySecretKey(identityFile: string): string {
  return `ssh-key:${identityFile}`;
}

/** Which server this workspace talks to, by the key a password is saved under; no connection is made. */
export interface ConnectionTargetInfo {
  /** 'sandbox': no URL anywhere, the embedded server (no password). */
  source: 'user' | 'workspace' | 'sandbox';
  /** `user@host:port` or `user@socket:/path`: the secret-storage key for this server's password. */
  key?: string;
  /** Why the URL cannot be used (a malformed connection.url), already redacted. */
  problem?: string;
}

export const ConnectionTargetRequest = request<Record<string, never>, ConnectionTargetInfo>('schemabranch/connection/target');

/** What the client may pass in InitializeParams.initializationOptions (never a password: see SAVED_PASSWORDS_ENV). */
export interface InitializationOptions {
  /** Absolute path to the lint rules page, so diagnostics can link to it. */
  lintRulesDoc?: string;
  /** The editor's settings; used only when the workspace has no schemabranch.json (the file, shared with the CLI, wins). */
  settings?: EditorSettings;
  /**
   * false in Restricted Mode (a workspace the user has not trusted): the server
   * lints and navigates but refuses everything that would start a program,
   * connect to a database or use a password (UnavailableReason 'untrusted').
   * Absent means trusted, for editors without a trust model.
   */
  trusted?: boolean;
  /**
   * mariadbd/mysqld for the sandbox, from the user's own settings only (the
   * machine-scoped `schemabranch.sandbox.binary`, which a workspace cannot set).
   * Absent: SCHEMABRANCH_MARIADBD, then the PATH.
   */
  sandboxBinary?: string;
  /** An SSH tunnel (ssh://user@bastion:22) and its key file, from the machine-scoped `schemabranch.ssh.*` settings only. */
  ssh?: string;
  sshKey?: string;
}

/**
 * Editor settings the server honours when there is no schemabranch.json.
 * Later changes arrive as workspace/didChangeConfiguration with the raw
 * `schemabranch` section (connection.url, schemaFolder, lint.severity, ...).
 */
export interface EditorSettings {
  connectionUrl?: string;
  schemaFolder?: string;
  revertWindowMinutes?: number;
  gatedDeploys?: boolean;
  lintSeverity?: Record<string, string>;
}

export interface ServerStatusParams {
  health: 'ok' | 'warning' | 'error';
  /** Is the branch database reachable right now (null: not configured / not tried). */
  database: boolean | null;
  message: string;
}

/** Server -> client: one status for the status bar (rust-analyzer's serverStatus). */
export const ServerStatusNotification = notification<ServerStatusParams>('schemabranch/serverStatus');

// ---------------------------------------------------------------- commands

/** Command the code lens runs; arguments are [ShowDiffArgs]. Implemented by the client. */
export const ShowDiffCommand = 'schemabranch.showDiff';

export interface ShowDiffArgs {
  branch: string;
  base: string;
  /** The table (or view, trigger, routine or event) the lens sits on; the client may scroll the diff to it. */
  table?: string;
  uri?: string;
}
