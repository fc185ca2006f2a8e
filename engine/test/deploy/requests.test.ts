import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, USERS, NOTES } from './fixture.js';
import { NoChangesError } from '../../src/deploy/core.js';
import { DeployStateError } from '../../src/deploy/state.js';
import { DeployRequestNotFoundError } from '../../src/deploy/store.js';

test('create stores the diff and the lint verdict; list, show, diff and close', async () => {
  const f = await fixture({ rows: 0 });
  try {
    const r = await f.dr.create(f.branch);
    assert.equal(r.state, 'open');
    assert.equal(r.branch, 'feat');
    assert.equal(r.targetDatabase, f.main);
    assert.equal(r.branchDatabase, f.branchDb);
    assert.equal(r.changes.length, 1);
    assert.equal(r.changes[0].table, 'users');
    assert.match(r.changes[0].statement, /^ALTER TABLE `users` .*ADD COLUMN `nick`/);
    assert.match(r.changes[0].statement, /ADD (KEY|INDEX) `idx_users_nick`/);
    assert.equal(typeof r.lint.deployable, 'boolean');
    assert.ok(r.openedBy.includes('@'));
    assert.deepEqual(Object.keys(r.mainFingerprints).sort(), ['notes', 'users']);

    assert.deepEqual((await f.dr.list()).map((x) => x.id), [r.id]);
    assert.deepEqual(await f.dr.list({ state: 'complete' }), []);
    assert.equal((await f.dr.show(r.id)).id, r.id);
    assert.deepEqual(await f.dr.diff(r.id), r.changes);
    await assert.rejects(f.dr.create(f.branch), new RegExp(`already has deploy request #${r.id} \\(open\\)`));

    const closed = await f.dr.close(r.id);
    assert.equal(closed.state, 'closed');
    assert.ok(closed.finishedAt);
    await assert.rejects(f.dr.deploy(r.id), (err: unknown) => err instanceof DeployStateError && err.message.startsWith(`deploy request #${r.id} is closed; only open, queued or error_retryable requests can be deployed.`));
    const history = await f.dr.history(r.id);
    assert.deepEqual(history.map((e) => e.toState), ['open', 'closed']);
    await assert.rejects(f.dr.show(999_999_999), DeployRequestNotFoundError);
  } finally {
    await f.cleanup();
  }
});

test('create refuses a branch without changes, and a branch that does not exist', async () => {
  const f = await fixture({ rows: 0, branchSchema: [USERS, NOTES] });
  try {
    await assert.rejects(f.dr.create(f.branch), NoChangesError);
    await assert.rejects(f.dr.create('missing'), /does not exist on the server/);
  } finally {
    await f.cleanup();
  }
});

test('a deploy request that lint rejects is stored as not deployable, with every reason, and cannot be deployed', async () => {
  // Dropping a column is destructive: the deploy-time rules refuse it by default.
  const f = await fixture({ rows: 0, branchSchema: ['CREATE TABLE users (id int unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4', NOTES] });
  try {
    const r = await f.dr.create(f.branch);
    assert.equal(r.lint.deployable, false);
    assert.ok(r.lint.findings.some((x) => x.code === 'destructive-change'));
    assert.ok(r.lint.reasons.length > 0);
    await assert.rejects(f.dr.deploy(r.id), /is not deployable:\n {2}- /);
    assert.equal((await f.dr.show(r.id)).state, 'open');
  } finally {
    await f.cleanup();
  }
});

test('begin answers as soon as the deploy is accepted; done settles when it ends', async () => {
  const f = await fixture({ rows: 100 });
  try {
    const r = await f.dr.create(f.branch);
    const { accepted, done } = await f.dr.begin(r.id);
    assert.equal(accepted.state, 'in_progress');
    assert.equal((await done).state, 'complete_pending_revert');
    await assert.rejects(f.dr.begin(r.id), /is complete_pending_revert; only open, queued or error_retryable requests can be deployed/);
  } finally {
    await f.cleanup();
  }
});
