/** The progress notification: only a deploy can be cancelled, and one that has ended closes without a last word. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeployBoard } from '../src/deployBoard.js';
import { DeployProgress } from '../src/deployProgress.js';
import type { Editor } from '../src/editor.js';
import type { DeployRequestInfo, DeployRequestState } from '../src/protocol.js';

const info = (state: DeployRequestState): DeployRequestInfo => ({ number: 1, branch: 'b', into: 'main', state, deployable: true, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' });

/** Records what VS Code's withProgress would show: title, Cancel button, messages; `cancel()` presses Cancel. */
function fakeEditor() {
  const shown: Array<{ title: string; cancellable: boolean; messages: string[]; cancel: () => void }> = [];
  const editor = {
    withProgress(title: string, cancellable: boolean, task: (p: { report(v: { message?: string }): void }, t: { onCancellationRequested(l: () => void): void }) => Thenable<unknown>) {
      const listeners: Array<() => void> = [];
      const entry = { title, cancellable, messages: [] as string[], cancel: () => listeners.forEach((l) => l()) };
      shown.push(entry);
      return task({ report: (v) => v.message !== undefined && entry.messages.push(v.message) }, { onCancellationRequested: (l) => listeners.push(l) });
    },
  };
  return { shown, editor: editor as unknown as Editor };
}

test('a revert shows no Cancel button and closes on "reverted" without saying it', async () => {
  const { shown, editor } = fakeEditor();
  const board = new DeployBoard();
  board.upsert(info('in_progress_revert'));
  const cancelled: number[] = [];
  const tracked = new DeployProgress(editor, board, async (n) => void cancelled.push(n)).track(1, 'revert');
  board.applyStateChange({ number: 1, state: 'complete_revert', at: '2026-01-01T00:01:00Z' });
  assert.equal(await tracked, 'complete_revert');
  assert.deepEqual(shown.map((s) => [s.title, s.cancellable]), [['Reverting #1', false]]);
  assert.deepEqual(shown[0].messages, ['reverting'], 'no "reverted" line on a notification that is closing');
  shown[0].cancel();
  assert.deepEqual(cancelled, []);
});

test('a deploy can be cancelled while it runs, not once it has ended', async () => {
  const { shown, editor } = fakeEditor();
  const board = new DeployBoard();
  board.upsert(info('in_progress'));
  const cancelled: number[] = [];
  const tracked = new DeployProgress(editor, board, async (n) => void cancelled.push(n)).track(1);
  board.applyProgress({ number: 1, table: 'users', phase: 'copying', rowsCopied: 5, rowsTotal: 10, percent: 50 });
  assert.deepEqual(shown.map((s) => [s.title, s.cancellable]), [['Deploying #1', true]]);
  assert.equal(shown[0].messages.at(-1), 'users: copying 5 / 10 rows (50%)');
  shown[0].cancel();
  assert.deepEqual(cancelled, [1]);
  board.applyStateChange({ number: 1, state: 'complete_pending_revert', at: '2026-01-01T00:01:00Z' });
  assert.equal(await tracked, 'complete_pending_revert');
  shown[0].cancel();
  assert.deepEqual(cancelled, [1], 'Cancel after the end does nothing');
});
