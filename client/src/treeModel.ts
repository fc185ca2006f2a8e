import type { FolderRef } from './folders.js';
import type { BranchInfo, DeployRequestInfo, DeployRequestState, LintFinding, SchemaChangeInfo } from './protocol.js';
import { Commands } from './protocol.js';

/**
 * What a tree row shows, as plain data: the tree providers turn these into
 * vscode.TreeItems, and node:test checks them without VS Code.
 */
export interface NodeView {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id, e.g. 'git-pull-request'. */
  icon: string;
  /** A theme colour id for the icon. */
  iconColor?: string;
  /** Matched by `viewItem` when-clauses in package.json menus. */
  contextValue: string;
  collapsible: boolean;
  /** Shown open at first (a folder's row over its branches or requests). */
  expanded?: boolean;
  command?: { command: string; title: string; arguments: unknown[] };
}

const STATE_ICON: Record<DeployRequestState, [string, string?]> = {
  open: ['git-pull-request', 'charts.green'],
  queued: ['clock'],
  in_progress: ['sync~spin', 'charts.blue'],
  pending_cutover: ['debug-pause', 'charts.yellow'],
  complete_pending_revert: ['history', 'charts.yellow'],
  complete: ['pass', 'charts.green'],
  in_progress_revert: ['sync~spin', 'charts.orange'],
  complete_revert: ['discard', 'charts.purple'],
  cancelled: ['circle-slash'],
  closed: ['close'],
  error_retryable: ['warning', 'charts.orange'],
  error_needs_attention: ['error', 'charts.red'],
};

/** Every state, in lifecycle order (the keys of a record the compiler checks for completeness). */
export const DEPLOY_STATES = Object.keys(STATE_ICON) as DeployRequestState[];

/** A state's codicon and its theme colour id, shared by the tree and the deploy request page. */
export function stateIcon(state: DeployRequestState): { icon: string; color?: string } {
  const [icon, color] = STATE_ICON[state] ?? ['question'];
  return { icon, color };
}

/** Human words for a state, as the tree and the e2e test read them. */
export function stateLabel(state: DeployRequestState): string {
  switch (state) {
    case 'complete_pending_revert':
      return 'deployed, revert window open';
    case 'complete_revert':
      return 'reverted';
    case 'in_progress_revert':
      return 'reverting';
    case 'pending_cutover':
      return 'waiting for cut-over';
    case 'error_retryable':
      return 'failed (retry is safe)';
    case 'error_needs_attention':
      return 'failed (needs attention)';
    default:
      return state.replace(/_/g, ' ');
  }
}

/**
 * The state as a tree row's description: a few words, so it is not cut off
 * after the label in a narrow side bar, even with the row's inline buttons
 * showing (the tooltip has stateLabel and the time).
 */
export function stateShort(state: DeployRequestState): string {
  switch (state) {
    case 'complete_pending_revert':
      return 'can revert';
    case 'complete':
      return 'deployed';
    case 'in_progress':
      return 'deploying';
    case 'pending_cutover':
      return 'awaiting cut-over';
    case 'error_retryable':
      return 'failed, retry safe';
    case 'error_needs_attention':
      return 'needs attention';
    default:
      return stateLabel(state);
  }
}

/** `1 table`, `2 tables`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function relativeTime(iso: string, now: number): string {
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return '';
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86_400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

/** `folder`: the row's workspace folder, handed to the page it opens (a number is unique only within a folder). */
export function deployRequestView(dr: DeployRequestInfo, now: number, folder?: string): NodeView {
  const [icon, iconColor] = STATE_ICON[dr.state] ?? ['question'];
  const verdict = dr.deployable ? 'deployable' : 'not deployable';
  const tooltip = [
    `#${dr.number}: ${dr.branch} into ${dr.into}`,
    `State: ${stateLabel(dr.state)}`,
    dr.state === 'open' ? `Lint: ${verdict}` : undefined,
    `Updated ${relativeTime(dr.updatedAt, now)}`,
    dr.error ? `Error: ${dr.error.message} (${dr.error.retrySafe ? 'retry is safe' : 'do not retry without checking'})` : undefined,
    dr.notes,
  ].filter((l): l is string => !!l);
  return {
    id: `dr-${dr.number}`,
    label: `#${dr.number} ${dr.branch}`,
    description: dr.state === 'open' && !dr.deployable ? 'not deployable' : stateShort(dr.state),
    tooltip: tooltip.join('\n'),
    icon,
    iconColor,
    contextValue: `deployRequest-${dr.state}`,
    collapsible: true,
    // A click opens the request's page; the twistie (or Right arrow) still shows its statements and lint.
    command: { command: Commands.openDeployRequestPage, title: 'Open Deploy Request Page', arguments: [folder === undefined ? dr.number : { folder, deployRequest: dr.number }] },
  };
}

const CLASS_ICON: Record<SchemaChangeInfo['class'], [string, string?]> = {
  safe: ['pass', 'charts.green'],
  destructive: ['trash', 'charts.red'],
  'data-dependent': ['warning', 'charts.orange'],
  'needs-decision': ['question', 'charts.yellow'],
};

export function changeView(parent: string, index: number, c: SchemaChangeInfo): NodeView {
  const [icon, iconColor] = CLASS_ICON[c.class];
  return {
    id: `${parent}-change-${index}`,
    label: c.statement.replace(/\s+/g, ' ').slice(0, 120),
    description: c.class,
    tooltip: [c.statement, ...c.reasons.map((r) => `${r.class}: ${r.message}`)].join('\n'),
    icon,
    iconColor,
    contextValue: `change-${c.class}`,
    collapsible: false,
  };
}

export function lintView(parent: string, index: number, f: LintFinding): NodeView {
  return {
    id: `${parent}-lint-${index}`,
    label: f.message,
    description: `${f.code}${f.table ? ` · ${f.table}` : ''}`,
    tooltip: f.suggestion ? `${f.message}\nSuggestion: ${f.suggestion}` : f.message,
    icon: f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info',
    iconColor: f.severity === 'error' ? 'charts.red' : f.severity === 'warning' ? 'charts.orange' : undefined,
    contextValue: `lint-${f.severity}`,
    collapsible: false,
  };
}

export function branchView(b: BranchInfo): NodeView {
  const main = b.name === 'main';
  const changes = main ? undefined : `${plural(b.changesVsMain, 'change')} vs main`;
  return {
    id: `branch-${b.name}`,
    label: b.name,
    description: [changes, b.deployRequest !== undefined ? `#${b.deployRequest}` : undefined].filter(Boolean).join(' · ') || plural(b.files, 'table'),
    tooltip: `${b.folder}${b.database ? `\nDatabase: ${b.database}` : ''}\n${plural(b.files, 'table file')}`,
    icon: main ? 'database' : 'git-branch',
    contextValue: main ? 'branch-main' : b.deployRequest !== undefined ? 'branch-withRequest' : 'branch',
    collapsible: true,
  };
}

/** A table row under a branch; clicking opens its file. */
export function tableView(branch: string, file: string, fileUri: unknown): NodeView {
  const table = file.replace(/\.sql$/i, '');
  return {
    id: `branch-${branch}-table-${table}`,
    label: table,
    icon: 'table',
    contextValue: 'table',
    collapsible: false,
    command: { command: 'vscode.open', title: 'Open', arguments: [fileUri] },
  };
}

/** The context-menu commands valid in each state (documentation and a test for the when-clauses). */
export const ACTIONS_BY_STATE: Partial<Record<DeployRequestState, string[]>> = {
  open: [Commands.deploy, Commands.close, Commands.review],
  queued: [Commands.cancel, Commands.review],
  in_progress: [Commands.cancel, Commands.pause, Commands.resume, Commands.tune],
  pending_cutover: [Commands.apply, Commands.cancel, Commands.review],
  complete_pending_revert: [Commands.revert, Commands.skipRevert],
  error_retryable: [Commands.deploy, Commands.cancel, Commands.review],
};

export type TreeName = 'branches' | 'deployRequests';

/** A workspace folder's row, over its branches or deploy requests when several folders are served. */
export function folderView(tree: TreeName, folder: FolderRef): NodeView {
  return {
    id: `${tree}-folder-${folder.uri}`,
    label: folder.name,
    tooltip: folder.path,
    icon: 'root-folder',
    contextValue: 'folder',
    collapsible: true,
    expanded: true,
  };
}

/**
 * What a tree shows on top: with one served folder, that folder's rows exactly
 * as a single-folder workspace always showed them; with several, one row per
 * folder, its rows below it. Nothing served: nothing.
 */
export function treeTop(tree: TreeName, served: readonly FolderRef[]): { rowsOf: FolderRef } | { folders: { folder: FolderRef; view: NodeView }[] } {
  if (served.length === 1) return { rowsOf: served[0] as FolderRef };
  return { folders: served.map((folder) => ({ folder, view: folderView(tree, folder) })) };
}

/**
 * A row under a folder's row: its id names the folder, since two folders may
 * both have a `feature-x` branch or a `#3`. With one folder (grouped false)
 * the row is unchanged.
 */
export function inFolder(view: NodeView, folder: FolderRef, grouped: boolean): NodeView {
  return grouped ? { ...view, id: `${folder.uri}/${view.id}` } : view;
}

/** A row that says why a folder's rows are missing (with several folders, one failing folder must not blank the others). */
export function messageView(id: string, message: string, icon = 'error'): NodeView {
  return { id, label: message, tooltip: message, icon, contextValue: 'message', collapsible: false };
}
