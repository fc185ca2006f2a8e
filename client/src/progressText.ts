import type { DeployProgressParams } from './protocol.js';

/** `1:05`, `12:00`, `1:02:03`: short enough for a notification line. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

const PHASE: Record<Exclude<DeployProgressParams['phase'], 'copying'>, string> = {
  'catching-up': 'applying changes made during the copy',
  'waiting-cutover': 'waiting for cut-over',
  'cutting-over': 'cutting over',
  done: 'done',
};

/**
 * One line for the progress notification: `users: copying 1,200 / 10,000 rows (12%), ETA 0:42`;
 * after the copy, `users: cutting over; 10,000 / 10,000 rows copied (100%)`.
 */
export function progressMessage(p: DeployProgressParams): string {
  const rows = `${p.rowsCopied.toLocaleString('en-US')} / ${p.rowsTotal.toLocaleString('en-US')} ${p.rowsTotal === 1 ? 'row' : 'rows'}`;
  const percent = `(${Math.floor(p.percent)}%)`;
  if (p.paused) return `${p.table}: paused at ${rows} ${percent}; Resume Deploy continues`;
  if (p.throttled && p.phase === 'copying') return `${p.table}: ${p.throttled}; ${rows} copied ${percent}`;
  if (p.phase !== 'copying') return `${p.table}: ${PHASE[p.phase]}; ${rows} copied ${percent}`;
  const eta = p.etaSeconds !== undefined ? `, ETA ${formatEta(p.etaSeconds)}` : '';
  return `${p.table}: copying ${rows} ${percent}${eta}`;
}

/**
 * VS Code's progress takes increments, the server reports absolute percents:
 * this keeps the last one per table and returns the overall increment.
 */
export class ProgressTally {
  private readonly perTable = new Map<string, number>();
  private reported = 0;

  /** The increment (0..100 overall) to report for this update. */
  update(p: DeployProgressParams): number {
    this.perTable.set(p.table, Math.min(100, Math.max(0, p.percent)));
    const values = [...this.perTable.values()];
    const overall = values.reduce((a, b) => a + b, 0) / values.length;
    const increment = Math.max(0, overall - this.reported);
    this.reported += increment;
    return increment;
  }
}
