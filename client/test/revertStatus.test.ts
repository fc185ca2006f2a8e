import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRemaining, revertStatusView, WARNING_MS } from '../src/revertStatus.js';

const now = Date.parse('2026-01-01T12:00:00Z');

test('mm:ss rounds up so an open window never shows 00:00', () => {
  assert.equal(formatRemaining(29 * 60_000 + 41_000), '29:41');
  assert.equal(formatRemaining(400), '00:01');
  assert.equal(formatRemaining(0), '00:00');
  assert.equal(formatRemaining(-5000), '00:00');
  assert.equal(formatRemaining(90 * 60_000), '90:00');
});

test('no open window hides the item', () => {
  assert.equal(revertStatusView([], now), undefined);
  assert.equal(revertStatusView([{ number: 3, deadline: now - 1, tables: ['users'] }], now), undefined);
});

test('one window: text, tooltip with the tables, click offers revert or skip', () => {
  const v = revertStatusView([{ number: 3, deadline: now + 29 * 60_000 + 41_000, tables: ['users', 'orders'] }], now);
  assert.ok(v);
  assert.equal(v.text, '$(history) Revert #3 29:41');
  assert.match(v.tooltip, /#3: 29:41 left to revert users, orders/);
  assert.equal(v.warning, false);
  assert.deepEqual(v.command, { command: 'schemabranch.revertOrSkip', arguments: [3] });
});

test('the last five minutes are a warning', () => {
  assert.equal(revertStatusView([{ number: 1, deadline: now + WARNING_MS, tables: [] }], now)?.warning, true);
  assert.equal(revertStatusView([{ number: 1, deadline: now + WARNING_MS + 1000, tables: [] }], now)?.warning, false);
});

test('several windows: the soonest is shown, the others counted', () => {
  const v = revertStatusView(
    [
      { number: 4, deadline: now + 20 * 60_000, tables: ['b'] },
      { number: 2, deadline: now + 3 * 60_000, tables: ['a'] },
    ],
    now,
  );
  assert.equal(v?.text, '$(history) Revert #2 03:00 (+1)');
  assert.equal(v?.warning, true);
  assert.match(v?.tooltip ?? '', /#2: 03:00 .*\n#4: 20:00/);
});

test('one folder: the countdown reads as before, and its click carries the folder with the number', () => {
  const v = revertStatusView([{ number: 3, deadline: now + 60_000, tables: ['users'], folder: 'file:///work/shop' }], now);
  assert.equal(v?.text, '$(history) Revert #3 01:00');
  assert.deepEqual(v?.command, { command: 'schemabranch.revertOrSkip', arguments: [{ folder: 'file:///work/shop', deployRequest: 3 }] });
});

test("several folders: each window names its folder, the soonest shows, and the click goes to that folder's #3", () => {
  const v = revertStatusView(
    [
      { number: 3, deadline: now + 10 * 60_000, tables: ['users'], folder: 'file:///work/shop', folderName: 'shop' },
      { number: 3, deadline: now + 2 * 60_000, tables: ['invoices'], folder: 'file:///work/billing', folderName: 'billing' },
    ],
    now,
  );
  assert.equal(v?.text, '$(history) Revert billing #3 02:00 (+1)');
  assert.match(v?.tooltip ?? '', /billing #3: 02:00 left to revert invoices\nshop #3: 10:00 left to revert users/);
  assert.deepEqual(v?.command.arguments, [{ folder: 'file:///work/billing', deployRequest: 3 }]);
});
