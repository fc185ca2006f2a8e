/**
 * Deploy requests in words and as plain JSON: what the CLI prints and what
 * `--json` emits (the language server may reuse the lines for tooltips).
 */
import type { DeployEvent, DeployRequest, StoredChange } from './record.js';

/** A change for JSON: without the before/after tables (large, and derivable). */
export function changesJson(changes: StoredChange[]): Array<Omit<StoredChange, 'before' | 'after'>> {
  return changes.map(({ before: _b, after: _a, ...rest }) => rest);
}

/** The request for `--json`; `changes` without before/after tables. */
export function requestJson(r: DeployRequest): Omit<DeployRequest, 'changes'> & { changes: ReturnType<typeof changesJson> } {
  return { ...r, changes: changesJson(r.changes) };
}

/** Remaining time as `29m41s`, from the deadline and a clock. */
export function timeLeft(deadline: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((Date.parse(deadline) - now) / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function clock(iso: string): string {
  return `${iso.slice(11, 19)} UTC`;
}

/** `#3  open  add-notes -> main (shop)  2 changes  deployable` */
export function requestLine(r: DeployRequest, now = Date.now()): string {
  const parts = [`#${r.id}`, (r.state === 'in_progress' && r.paused ? 'in_progress (paused)' : r.state).padEnd(23), `${r.branch} -> main (${r.targetDatabase})`, `${r.changes.length} change${r.changes.length === 1 ? '' : 's'}`];
  parts.push(r.lint.deployable ? 'deployable' : 'NOT deployable');
  if (r.state === 'complete_pending_revert' && r.windowDeadline) parts.push(`revert window ${timeLeft(r.windowDeadline, now)} left`);
  if (r.error) parts.push(`error (${r.error.retrySafe ? 'retry is safe' : 'retry NOT safe'})`);
  return parts.join('  ');
}

export function diffLines(changes: StoredChange[]): string[] {
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(`-- ${c.table}: ${c.class}${c.reasons.length ? ` (${c.reasons.map((x) => x.message).join('; ')})` : ''}`);
    lines.push(`${c.statement};`);
  }
  return lines;
}

/** The request in words; `brief` leaves out the statements and lint findings. */
export function describeRequest(r: DeployRequest, opts: { brief: boolean }, now = Date.now()): string[] {
  const out: string[] = [];
  if (!opts.brief) {
    out.push(`Deploy request #${r.id}: ${r.branch} -> main (${r.targetDatabase})`);
    out.push(`  state: ${r.state}`);
    out.push(`  opened by ${r.openedBy} at ${r.createdAt}`);
  } else {
    out.push(`  state: ${r.state}`);
  }
  if (r.state === 'in_progress' && r.paused) out.push(`  paused: the row copy waits; \`deploy-request resume ${r.id}\` goes on, \`deploy-request cancel ${r.id}\` removes its shadow tables`);
  if (r.startedAt) out.push(`  started: ${r.startedAt}`);
  if (r.cutOverAt) out.push(`  cut over: ${r.cutOverAt}`);
  if (r.state === 'complete_pending_revert' && r.windowDeadline) {
    out.push(`  revert window: open until ${clock(r.windowDeadline)} (${timeLeft(r.windowDeadline, now)} left): \`deploy-request revert ${r.id}\` or \`deploy-request skip-revert ${r.id}\``);
  }
  if (r.finishedAt) out.push(`  finished: ${r.finishedAt}`);
  for (const p of r.progress) out.push(`  ${p.table}: ${Math.floor(p.percent)}% (${p.rowsCopied}/${p.rowsTotal} rows)`);
  if (r.error) {
    out.push(`  error during ${r.error.during}: ${r.error.message}`);
    out.push(`  ${r.error.retrySafe ? 'retry is safe' : 'retry is NOT safe'}: ${r.error.next}`);
  }
  if (!opts.brief) {
    out.push(r.lint.deployable ? '  lint: deployable' : '  lint: NOT deployable');
    for (const reason of r.lint.reasons) out.push(`    - ${reason}`);
    for (const f of r.lint.findings.filter((x) => x.severity !== 'error')) out.push(`    ${f.severity}: ${f.code}: ${f.message}`);
    out.push(`  changes (${r.changes.length}):`);
    for (const line of diffLines(r.changes)) out.push(`    ${line}`);
  }
  return out;
}

export function historyLines(events: DeployEvent[]): string[] {
  return events.map((e) => `${e.at}  ${e.fromState && e.fromState !== e.toState ? `${e.fromState} -> ` : ''}${e.toState}  ${e.message}  (${e.actor})`);
}
