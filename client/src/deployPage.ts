/**
 * The deploy request page as plain data: what the server answered
 * (schemabranch/deployRequest/page) brought up to date with what the board
 * learned since from notifications, and the buttons its state allows.
 * Node-only, like the tree's model: deployPageHtml.ts draws it, the panel
 * (deployPagePanel.ts) shows it, node:test checks both.
 */
import { Commands, type DeployProgressParams, type DeployRequestInfo, type DeployRequestPageInfo, type DeployRequestState } from './protocol.js';
import type { RevertWindow } from './revertStatus.js';
import { ACTIONS_BY_STATE } from './treeModel.js';

export interface PageButton {
  command: string;
  label: string;
  /** The action the state is waiting for (drawn as the primary button). */
  primary: boolean;
  /** Why the button cannot be used now; absent when it can. */
  disabled?: string;
}

/** One table's copy: the live notification's figures, else the last ones the server stored. */
export interface TableCopy {
  table: string;
  phase?: DeployProgressParams['phase'];
  rowsCopied: number;
  rowsTotal: number;
  percent: number;
  rowsPerSecond?: number;
  etaSeconds?: number;
  paused: boolean;
  throttled?: string;
}

export interface PageView {
  info: DeployRequestPageInfo;
  copy: TableCopy[];
  /** The revert window while it is open. */
  window?: RevertWindow;
  buttons: PageButton[];
}

const LABEL: Record<string, string> = {
  [Commands.deploy]: 'Deploy',
  [Commands.apply]: 'Apply (cut over)',
  [Commands.pause]: 'Pause',
  [Commands.resume]: 'Resume',
  [Commands.tune]: 'Tune…',
  [Commands.revert]: 'Revert',
  [Commands.skipRevert]: 'Skip revert',
  [Commands.cancel]: 'Cancel deploy',
  [Commands.close]: 'Close request',
  [Commands.review]: 'Review / approve…',
};

const PRIMARY: ReadonlySet<string> = new Set([Commands.deploy, Commands.apply, Commands.revert, Commands.resume]);

/**
 * The buttons of a state: the same commands the tree's menus offer
 * (ACTIONS_BY_STATE), so the page and the tree never disagree; a running copy
 * shows Pause or Resume, whichever applies.
 */
export function pageButtons(state: DeployRequestState, opts: { paused: boolean; deployable: boolean; copyRefusedOnly?: boolean; number?: number; approvals?: { required: number; have: number } }): PageButton[] {
  const commands = (ACTIONS_BY_STATE[state] ?? []).filter((c) => (c === Commands.pause ? !opts.paused : c === Commands.resume ? opts.paused : true));
  const why = deployBlocked(opts);
  return commands.map((command) => ({
    command,
    label: LABEL[command] ?? command,
    primary: PRIMARY.has(command),
    ...(command === Commands.deploy && why ? { disabled: why } : {}),
  }));
}

/** Why Deploy cannot run now, as the engine would refuse it: lint errors, or approvals the workspace requires (requireApprovals). */
function deployBlocked(opts: { deployable: boolean; copyRefusedOnly?: boolean; number?: number; approvals?: { required: number; have: number } }): string | undefined {
  // Findings about the online copy only leave the server's own path: Deploy asks the server whether it has one.
  if (!opts.deployable && !opts.copyRefusedOnly) return 'Not deployable: fix the lint errors below in the branch, then open a new deploy request.';
  const a = opts.approvals;
  if (a && a.have < a.required) {
    return `Needs ${a.required} approval${a.required === 1 ? '' : 's'} of the current statements from people other than its author (${a.have} so far): a reviewer approves with Review / approve… or \`schemabranch deploy-request review ${opts.number ?? '<n>'} --approve\`.`;
  }
  return undefined;
}

/**
 * Whether every lint error concerns the online copy only (online-migration): Deploy
 * then asks the server for its own path (instant, in-server) instead of refusing.
 */
export function onlyCopyRefused(lint: readonly { code: string; severity: string }[]): boolean {
  const errors = lint.filter((f) => f.severity === 'error');
  return errors.length > 0 && errors.every((f) => f.code === 'online-migration');
}

/** Fields the board keeps current between two answers of the server. */
function withLive(info: DeployRequestPageInfo, live: DeployRequestInfo | undefined): DeployRequestPageInfo {
  if (!live || live.number !== info.number) return info;
  const fresher = Date.parse(live.updatedAt) >= Date.parse(info.updatedAt);
  if (!fresher) return info;
  return { ...info, state: live.state, updatedAt: live.updatedAt, paused: live.paused, error: live.error, revertDeadline: live.revertDeadline };
}

const COPYING: ReadonlySet<DeployRequestState> = new Set(['queued', 'in_progress', 'in_progress_revert']);

export function pageView(info: DeployRequestPageInfo, live: DeployRequestInfo | undefined, progress: readonly DeployProgressParams[], windows: readonly RevertWindow[], now: number): PageView {
  const merged = withLive(info, live);
  const running = COPYING.has(merged.state);
  // Once the copy is over, its stored figures are a record: no ETA left, and a full copy says done.
  const stored: TableCopy[] = merged.progress.map((t) => ({
    ...t,
    rowsPerSecond: t.rowsPerSecond || undefined,
    etaSeconds: running ? t.etaSeconds : undefined,
    phase: !running && t.percent >= 100 ? 'done' : undefined,
    paused: false,
  }));
  // Notifications only while a copy runs; afterwards the stored figures are the final ones.
  const copy = running && progress.length
    ? progress.map((p) => ({ table: p.table, phase: p.phase, rowsCopied: p.rowsCopied, rowsTotal: p.rowsTotal, percent: p.percent, rowsPerSecond: p.rowsPerSecond, etaSeconds: p.etaSeconds, paused: p.paused === true, throttled: p.throttled }))
    : stored;
  const window = merged.state === 'complete_pending_revert' ? windows.find((w) => w.number === merged.number && w.deadline > now) : undefined;
  const fallback = !window && merged.state === 'complete_pending_revert' && merged.revertDeadline ? { number: merged.number, deadline: Date.parse(merged.revertDeadline), tables: [] } : undefined;
  const open = window ?? (fallback && fallback.deadline > now ? fallback : undefined);
  const approvals = { required: merged.requiredApprovals, have: merged.approvers.length };
  const copyRefusedOnly = onlyCopyRefused(merged.lint);
  return { info: merged, copy, window: open, buttons: pageButtons(merged.state, { paused: merged.paused === true, deployable: merged.deployable, copyRefusedOnly, number: merged.number, approvals }) };
}

/** What the page's script may ask; anything else is ignored. */
export type PageMessage = { type: 'ready' } | { type: 'run'; command: string } | { type: 'openDoc'; index: number };

/**
 * Reads a message from the webview. The page runs only its own script, but
 * what it sends is still checked: a command must be one of the buttons shown
 * now (and enabled), and the request's number is the panel's, never the page's.
 */
export function pageMessage(raw: unknown, view: PageView | undefined): PageMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type === 'ready') return { type: 'ready' };
  if (m.type === 'run' && typeof m.command === 'string') {
    const button = view?.buttons.find((b) => b.command === m.command);
    return button && !button.disabled ? { type: 'run', command: button.command } : undefined;
  }
  if (m.type === 'openDoc' && typeof m.index === 'number' && Number.isInteger(m.index) && view?.info.lint[m.index]?.doc) return { type: 'openDoc', index: m.index };
  return undefined;
}

/**
 * The line of a markdown heading whose GitHub-style anchor is `fragment`
 * (`### no-primary-key` for `#no-primary-key`), so a rule's link opens its
 * documentation where it is written; undefined when no heading matches.
 */
export function headingLine(markdown: string, fragment: string): number | undefined {
  const want = fragment.toLowerCase();
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(lines[i] ?? '');
    if (!m?.[1]) continue;
    const anchor = m[1].toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
    if (anchor === want) return i;
  }
  return undefined;
}
