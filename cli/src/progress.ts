/**
 * Copy progress on a terminal: one bar per table redrawn in place on a TTY,
 * plain lines (each table at most every few seconds, and when it completes)
 * when stderr is a file or a CI log.
 */
import type { TableProgress } from '../../engine/src/migration/index.js';

const BAR_WIDTH = 24;
const REDRAW_MS = 100;
const PLAIN_EVERY_MS = 2000;

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'ETA --';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `ETA ${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `ETA ${m}m${String(s % 60).padStart(2, '0')}s`;
  return `ETA ${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatBar(percent: number, width = BAR_WIDTH): string {
  const p = Math.min(100, Math.max(0, percent));
  const full = Math.round((p / 100) * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

/** `users  [############------------]  50%  5,000/10,000 rows  2,500 rows/s  ETA 2s` */
export function formatBarLine(p: TableProgress, nameWidth: number): string {
  return `${p.table.padEnd(nameWidth)}  ${formatBar(p.percent)} ${String(Math.floor(p.percent)).padStart(3)}%  ${formatCount(p.rowsCopied)}/${formatCount(p.rowsTotal)} rows  ${formatCount(p.rowsPerSecond)} rows/s  ${formatEta(p.etaSeconds)}`;
}

/** `users  [############------------]  50%  5,000/10,000 rows  paused` */
export function formatPausedBarLine(p: TableProgress, nameWidth: number): string {
  return `${p.table.padEnd(nameWidth)}  ${formatBar(p.percent)} ${String(Math.floor(p.percent)).padStart(3)}%  ${formatCount(p.rowsCopied)}/${formatCount(p.rowsTotal)} rows  paused`;
}

/** `users: 50% (5,000/10,000 rows, 2,500 rows/s, ETA 2s)` */
export function formatPlainLine(p: TableProgress): string {
  return `${p.table}: ${Math.floor(p.percent)}% (${formatCount(p.rowsCopied)}/${formatCount(p.rowsTotal)} rows, ${formatCount(p.rowsPerSecond)} rows/s, ${formatEta(p.etaSeconds)})`;
}

export interface ProgressOutput {
  write(text: string): void;
  interactive: boolean;
}

export class ProgressDisplay {
  private readonly tables = new Map<string, TableProgress>();
  private drawnLines = 0;
  private lastDraw = 0;
  private pending: NodeJS.Timeout | undefined;
  private readonly lastPlain = new Map<string, { at: number; percent: number }>();

  constructor(private readonly out: ProgressOutput) {}

  private paused = false;

  /** `paused` (from `deploy-request pause`) shows the bars as paused, or on a log one line when it pauses and one when it resumes. */
  update(tables: TableProgress[], paused = false): void {
    for (const t of tables) this.tables.set(t.table, t);
    const changed = paused !== this.paused;
    this.paused = paused;
    if (this.out.interactive) {
      if (changed) this.redraw();
      else this.scheduleRedraw();
    } else {
      if (changed) this.out.write(paused ? 'paused: the row copy waits for `deploy-request resume`\n' : 'resumed: copying rows again\n');
      if (!paused) this.plain(tables);
    }
  }

  /** Draws the final state and leaves the cursor below it. */
  done(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    if (this.out.interactive) this.redraw();
    else this.plain([...this.tables.values()], true);
    this.drawnLines = 0;
  }

  private scheduleRedraw(): void {
    const wait = REDRAW_MS - (Date.now() - this.lastDraw);
    if (wait <= 0) return this.redraw();
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      this.redraw();
    }, wait);
  }

  private redraw(): void {
    this.lastDraw = Date.now();
    const rows = [...this.tables.values()];
    if (rows.length === 0) return;
    const width = Math.max(...rows.map((r) => r.table.length));
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : '';
    const line = this.paused ? formatPausedBarLine : formatBarLine;
    this.out.write(up + rows.map((r) => `\x1b[2K${line(r, width)}\n`).join(''));
    this.drawnLines = rows.length;
  }

  private plain(tables: TableProgress[], final = false): void {
    const now = Date.now();
    for (const t of tables) {
      const last = this.lastPlain.get(t.table);
      const completedNow = t.percent >= 100 && (last?.percent ?? 0) < 100;
      if (final ? last?.percent !== t.percent : !last || completedNow || now - last.at >= PLAIN_EVERY_MS) {
        this.out.write(`${formatPlainLine(t)}\n`);
        this.lastPlain.set(t.table, { at: now, percent: t.percent });
      }
    }
  }
}
