import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeployBoard, type BoardChange } from '../src/deployBoard.js';
import type { DeployRequestInfo } from '../src/protocol.js';

const info = (number: number, over: Partial<DeployRequestInfo> = {}): DeployRequestInfo => ({
  number,
  branch: `b${number}`,
  into: 'main',
  state: 'open',
  deployable: true,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

test('a listed request in its revert window reopens the countdown (after a reload, in another window)', () => {
  const b = new DeployBoard();
  b.replaceAll([info(1), info(2, { state: 'complete_pending_revert', revertDeadline: '2026-01-01T00:30:00Z' })]);
  assert.deepEqual(b.revertWindows(), [{ number: 2, deadline: Date.parse('2026-01-01T00:30:00Z'), tables: [] }]);
  assert.deepEqual(
    b.list().map((d) => d.number),
    [2, 1],
  );
});

test('notifications move state, open and close windows, and say when to re-list', () => {
  const b = new DeployBoard();
  const seen: BoardChange[] = [];
  b.onChange((c) => seen.push(c));
  b.replaceAll([info(1)]);
  assert.equal(b.applyStateChange({ number: 1, state: 'in_progress', previous: 'open', at: '2026-01-01T00:01:00Z' }), true);
  b.applyProgress({ number: 1, table: 'users', phase: 'copying', rowsCopied: 5, rowsTotal: 10, percent: 50 });
  assert.equal(b.latestProgress(1)?.percent, 50);
  b.applyStateChange({ number: 1, state: 'complete_pending_revert', at: '2026-01-01T00:02:00Z' });
  assert.equal(b.latestProgress(1), undefined, 'progress ends with the copy');
  b.applyRevertWindow({ number: 1, deadline: '2026-01-01T00:32:00Z', tables: ['users'] });
  assert.deepEqual(b.revertWindows()[0]?.tables, ['users']);
  b.applyStateChange({ number: 1, state: 'complete_revert', at: '2026-01-01T00:03:00Z' });
  assert.deepEqual(b.revertWindows(), [], 'leaving the window state closes the countdown even before the window notification');
  assert.equal(b.get(1)?.state, 'complete_revert');
  assert.equal(b.applyStateChange({ number: 9, state: 'open', at: '2026-01-01T00:00:00Z' }), false);
  assert.ok(seen.includes('progress') && seen.includes('revertWindows') && seen.includes('requests'));
});

test('an error state keeps the message and whether a retry is safe', () => {
  const b = new DeployBoard();
  b.replaceAll([info(1, { state: 'in_progress' })]);
  b.applyStateChange({ number: 1, state: 'error_retryable', message: 'lock wait timeout', retrySafe: true, at: '2026-01-01T00:01:00Z' });
  assert.deepEqual(b.get(1)?.error, { message: 'lock wait timeout', retrySafe: true });
});

test('per-table progress: each table keeps its latest figures until the copy ends', () => {
  const b = new DeployBoard();
  b.replaceAll([info(4, { state: 'in_progress' })]);
  b.applyProgress({ number: 4, table: 'users', phase: 'copying', rowsCopied: 5, rowsTotal: 10, percent: 50, rowsPerSecond: 100 });
  b.applyProgress({ number: 4, table: 'orders', phase: 'copying', rowsCopied: 1, rowsTotal: 10, percent: 10 });
  b.applyProgress({ number: 4, table: 'users', phase: 'copying', rowsCopied: 8, rowsTotal: 10, percent: 80, rowsPerSecond: 120 });
  assert.deepEqual(b.tableProgress(4).map((p) => [p.table, p.percent, p.rowsPerSecond]), [['users', 80, 120], ['orders', 10, undefined]]);
  assert.equal(b.latestProgress(4)?.table, 'users');
  b.applyStateChange({ number: 4, state: 'complete_pending_revert', at: '2026-01-01T00:02:00Z' });
  assert.deepEqual(b.tableProgress(4), []);
});
