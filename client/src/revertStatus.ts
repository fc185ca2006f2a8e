import { Commands } from './protocol.js';

/** An open revert window as the client keeps it: the deadline is the server's, absolute. */
export interface RevertWindow {
  number: number;
  /** Epoch milliseconds when the window closes. */
  deadline: number;
  tables: string[];
}

/** A window with the folder whose request it is (the status bar shows every served folder's windows). */
export interface FolderRevertWindow extends RevertWindow {
  /** The folder's uri: the click acts on that folder's request. */
  folder?: string;
  /** Shown only when several folders are served: `Revert app #3`. */
  folderName?: string;
}

/** Everything the status bar item shows; `undefined` means hide it. */
export interface StatusBarView {
  text: string;
  tooltip: string;
  /** The last five minutes are shown in the warning colour. */
  warning: boolean;
  command: { command: string; arguments: unknown[] };
}

export const WARNING_MS = 5 * 60_000;

/** `mm:ss` of the time left, rounded up so the display never shows 00:00 while the window is open. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/**
 * The one function that turns revert windows into the status bar item
 * (rust-analyzer's setServerStatus pattern). The soonest window wins; others
 * are counted in the text and listed in the tooltip.
 */
export function revertStatusView(windows: readonly FolderRevertWindow[], now: number): StatusBarView | undefined {
  const open = windows.filter((w) => w.deadline > now).sort((a, b) => a.deadline - b.deadline);
  const first = open[0];
  if (!first) return undefined;
  const left = first.deadline - now;
  const more = open.length > 1 ? ` (+${open.length - 1})` : '';
  const name = (w: FolderRevertWindow): string => (w.folderName ? `${w.folderName} #${w.number}` : `#${w.number}`);
  const lines = open.map((w) => {
    const tables = w.tables.length ? w.tables.join(', ') : 'no tables reported';
    return `${name(w)}: ${formatRemaining(w.deadline - now)} left to revert ${tables}`;
  });
  return {
    text: `$(history) Revert ${name(first)} ${formatRemaining(left)}${more}`,
    tooltip: `Schema revert window open\n${lines.join('\n')}\nClick to revert or to skip the revert.`,
    warning: left <= WARNING_MS,
    // A number names a request only within its folder: the click carries both.
    command: { command: Commands.revertOrSkip, arguments: [first.folder === undefined ? first.number : { folder: first.folder, deployRequest: first.number }] },
  };
}
