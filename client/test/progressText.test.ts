import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatEta, ProgressTally, progressMessage } from '../src/progressText.js';
import type { DeployProgressParams } from '../src/protocol.js';

const p = (over: Partial<DeployProgressParams>): DeployProgressParams => ({ number: 1, table: 'users', phase: 'copying', rowsCopied: 0, rowsTotal: 100, percent: 0, ...over });

test('ETA is m:ss, or h:mm:ss past an hour', () => {
  assert.equal(formatEta(42), '0:42');
  assert.equal(formatEta(65), '1:05');
  assert.equal(formatEta(3723), '1:02:03');
  assert.equal(formatEta(-3), '0:00');
});

test('the progress line names the table, rows once, percent and ETA', () => {
  assert.equal(progressMessage(p({ rowsCopied: 20000, rowsTotal: 149795, percent: 13.35, etaSeconds: 42 })), 'users: copying 20,000 / 149,795 rows (13%), ETA 0:42');
  assert.equal(progressMessage(p({ phase: 'cutting-over', rowsCopied: 100, percent: 100, etaSeconds: 0 })), 'users: cutting over; 100 / 100 rows copied (100%)');
  assert.equal(progressMessage(p({ phase: 'catching-up', rowsCopied: 1, rowsTotal: 1, percent: 100 })), 'users: applying changes made during the copy; 1 / 1 row copied (100%)');
  assert.equal(progressMessage(p({ rowsCopied: 1200, rowsTotal: 10000, percent: 12.7, etaSeconds: 42, paused: true })), 'users: paused at 1,200 / 10,000 rows (12%); Resume Deploy continues');
  assert.equal(progressMessage(p({ rowsCopied: 5 })), 'users: copying 5 / 100 rows (0%)');
});

test('absolute percents become increments that add up to 100 across tables', () => {
  const t = new ProgressTally();
  let sum = 0;
  sum += t.update(p({ table: 'a', percent: 50 }));
  assert.equal(sum, 50);
  sum += t.update(p({ table: 'a', percent: 100 }));
  sum += t.update(p({ table: 'b', percent: 0 })); // a second table halves the overall: no negative increment
  sum += t.update(p({ table: 'b', percent: 100 }));
  assert.equal(sum, 100);
});

test('a copy that waits by itself says why instead of an ETA', () => {
  const line = progressMessage({ number: 1, table: 'users', phase: 'copying', rowsCopied: 1200, rowsTotal: 10000, percent: 12, etaSeconds: 42, throttled: 'waiting for replicas: replica app@r1:3306: its SQL thread is stopped' });
  assert.equal(line, 'users: waiting for replicas: replica app@r1:3306: its SQL thread is stopped; 1,200 / 10,000 rows copied (12%)');
});
