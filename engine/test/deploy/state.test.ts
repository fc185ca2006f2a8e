import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedActions, canTransition, DEPLOY_STATES, DeployStateError, RULES, transition, type DeployAction, type DeployState } from '../../src/deploy/state.js';

test('the happy path: open -> queued -> in_progress -> pending_cutover -> complete_pending_revert -> complete', () => {
  let s: DeployState = 'open';
  for (const [action, expected] of [
    ['queue', 'queued'],
    ['start', 'in_progress'],
    ['copy_done', 'pending_cutover'],
    ['cut_over', 'complete_pending_revert'],
    ['finish', 'complete'],
  ] as Array<[DeployAction, DeployState]>) {
    s = transition(1, s, action);
    assert.equal(s, expected);
  }
});

test('revert: complete_pending_revert -> in_progress_revert -> complete_revert', () => {
  assert.equal(transition(1, 'complete_pending_revert', 'start_revert'), 'in_progress_revert');
  assert.equal(transition(1, 'in_progress_revert', 'revert_done'), 'complete_revert');
});

test('cancel is allowed before the cut-over only; close only from open', () => {
  for (const s of ['open', 'queued', 'in_progress', 'pending_cutover'] as DeployState[]) assert.equal(transition(2, s, 'cancel'), 'cancelled');
  for (const s of ['complete_pending_revert', 'complete', 'complete_revert', 'in_progress_revert', 'closed', 'cancelled'] as DeployState[]) {
    assert.throws(() => transition(2, s, 'cancel'), DeployStateError);
  }
  assert.equal(transition(2, 'open', 'close'), 'closed');
  assert.throws(() => transition(2, 'in_progress', 'close'), /deploy request #2 is in_progress; only open requests can be closed\./);
});

test('a refusal names the request, its state and what is allowed', () => {
  assert.throws(
    () => transition(3, 'complete_revert', 'start'),
    (err: unknown) => {
      assert.ok(err instanceof DeployStateError);
      assert.equal(err.id, 3);
      assert.equal(err.state, 'complete_revert');
      assert.equal(err.message, 'deploy request #3 is complete_revert; only open, queued or error_retryable requests can be deployed. Open a new deploy request for further changes.');
      return true;
    },
  );
  assert.throws(() => transition(4, 'pending_cutover', 'start'), /Run `deploy-request apply` to cut over, or `cancel`\./);
});

test('errors: running states may fail; only error_retryable may be retried', () => {
  assert.equal(transition(5, 'in_progress', 'fail_retryable'), 'error_retryable');
  assert.equal(transition(5, 'in_progress_revert', 'fail_needs_attention'), 'error_needs_attention');
  assert.equal(transition(5, 'error_retryable', 'start'), 'in_progress');
  assert.throws(() => transition(5, 'error_needs_attention', 'start'), /Retrying is not safe/);
  assert.throws(() => transition(5, 'open', 'fail_retryable'), DeployStateError);
  assert.throws(() => transition(5, 'complete', 'fail_needs_attention'), DeployStateError);
});

test('every rule targets a known state and every state can be reached', () => {
  const reached = new Set<DeployState>(['open']);
  for (const rule of Object.values(RULES)) {
    assert.ok(DEPLOY_STATES.includes(rule.to));
    reached.add(rule.to);
  }
  assert.deepEqual([...reached].sort(), [...DEPLOY_STATES].sort());
  assert.equal(canTransition('complete', 'start'), false);
  assert.deepEqual(allowedActions('complete'), []);
  assert.deepEqual(allowedActions('pending_cutover').sort(), ['cancel', 'cut_over', 'fail_needs_attention', 'fail_retryable']);
});
