import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBar, formatBarLine, formatEta, formatPausedBarLine, formatPlainLine, ProgressDisplay } from '../../../cli/src/progress.js';
import { describeRequest, requestLine, timeLeft } from '../../src/deploy/describe.js';
import type { DeployRequest } from '../../src/deploy/record.js';

const half = { table: 'users', rowsCopied: 5000, rowsTotal: 10000, percent: 50, rowsPerSecond: 2500, etaSeconds: 2 };

test('progress lines: bar, percent, rows, rate and ETA', () => {
  assert.equal(formatBar(50, 10), '[#####-----]');
  assert.equal(formatBar(140, 4), '[####]');
  assert.equal(formatEta(null), 'ETA --');
  assert.equal(formatEta(75), 'ETA 1m15s');
  assert.equal(formatEta(7300), 'ETA 2h01m');
  assert.equal(formatBarLine(half, 6), 'users   [############------------]  50%  5,000/10,000 rows  2,500 rows/s  ETA 2s');
  assert.equal(formatPlainLine(half), 'users: 50% (5,000/10,000 rows, 2,500 rows/s, ETA 2s)');
});

test('a TTY redraws in place; a log gets a line per table and one when it completes', () => {
  const tty: string[] = [];
  const onTty = new ProgressDisplay({ interactive: true, write: (t) => tty.push(t) });
  onTty.update([half]);
  onTty.done();
  assert.equal(tty[0], `\x1b[2K${formatBarLine(half, 5)}\n`);
  assert.equal(tty[1], `\x1b[1A\x1b[2K${formatBarLine(half, 5)}\n`);

  const log: string[] = [];
  const onLog = new ProgressDisplay({ interactive: false, write: (t) => log.push(t) });
  onLog.update([half]);
  onLog.update([{ ...half, rowsCopied: 6000, percent: 60 }]); // within 2 s: not repeated
  onLog.update([{ ...half, rowsCopied: 10000, percent: 100, etaSeconds: 0 }]); // completion always shows
  onLog.done();
  assert.deepEqual(log, ['users: 50% (5,000/10,000 rows, 2,500 rows/s, ETA 2s)\n', 'users: 100% (10,000/10,000 rows, 2,500 rows/s, ETA 0s)\n']);
});

test('a request in words: the revert window countdown and an error with whether retry is safe', () => {
  const r: DeployRequest = {
    id: 3, branch: 'feat', branchDatabase: 'shop__feat', targetDatabase: 'shop', state: 'complete_pending_revert', changes: [], lint: { deployable: true, reasons: [], findings: [] },
    mainFingerprints: {}, gated: false, migrationId: '3', openedBy: 'root@localhost', owner: null, cancelRequested: false, paused: false, tuning: null, instantUndo: null,
    objectUndo: null, progress: [],
    error: null, revertWindowSeconds: 1800, createdAt: '2026-01-01T10:00:00.000Z', updatedAt: '2026-01-01T10:01:00.000Z', startedAt: '2026-01-01T10:00:10.000Z',
    cutOverAt: '2026-01-01T10:01:00.000Z', windowDeadline: '2026-01-01T10:31:00.000Z', finishedAt: null,
  };
  const now = Date.parse('2026-01-01T10:01:19.000Z');
  assert.equal(timeLeft(r.windowDeadline!, now), '29m41s');
  assert.equal(requestLine(r, now), '#3  complete_pending_revert  feat -> main (shop)  0 changes  deployable  revert window 29m41s left');
  assert.ok(describeRequest(r, { brief: true }, now).includes('  revert window: open until 10:31:00 UTC (29m41s left): `deploy-request revert 3` or `deploy-request skip-revert 3`'));
  const failed = { ...r, state: 'error_retryable' as const, error: { message: 'lost connection', retrySafe: true, during: 'deploy', next: 'main is unchanged.' } };
  assert.deepEqual(describeRequest(failed, { brief: true }, now).slice(-2), ['  error during deploy: lost connection', '  retry is safe: main is unchanged.']);
  const paused = { ...r, state: 'in_progress' as const, paused: true, cutOverAt: null, windowDeadline: null };
  assert.equal(requestLine(paused, now), '#3  in_progress (paused)     feat -> main (shop)  0 changes  deployable');
  assert.ok(describeRequest(paused, { brief: true }, now).includes('  paused: the row copy waits; `deploy-request resume 3` goes on, `deploy-request cancel 3` removes its shadow tables'));
});

test('a paused copy: the bars say paused at once; a log says it once when it pauses and once when it resumes', () => {
  assert.equal(formatPausedBarLine(half, 6), 'users   [############------------]  50%  5,000/10,000 rows  paused');
  const tty: string[] = [];
  const onTty = new ProgressDisplay({ interactive: true, write: (t) => tty.push(t) });
  onTty.update([half]);
  onTty.update([half], true);
  assert.equal(tty[1], `\x1b[1A\x1b[2K${formatPausedBarLine(half, 5)}\n`, 'redrawn at once, not after the redraw delay');
  onTty.update([half], false);
  assert.equal(tty[2], `\x1b[1A\x1b[2K${formatBarLine(half, 5)}\n`);

  const log: string[] = [];
  const onLog = new ProgressDisplay({ interactive: false, write: (t) => log.push(t) });
  onLog.update([half]);
  onLog.update([half], true);
  onLog.update([half], true); // each idle beat repeats it: said once
  onLog.update([{ ...half, rowsCopied: 10000, percent: 100, etaSeconds: 0 }], false);
  assert.deepEqual(log, [
    'users: 50% (5,000/10,000 rows, 2,500 rows/s, ETA 2s)\n',
    'paused: the row copy waits for `deploy-request resume`\n',
    'resumed: copying rows again\n',
    'users: 100% (10,000/10,000 rows, 2,500 rows/s, ETA 0s)\n',
  ]);
});
