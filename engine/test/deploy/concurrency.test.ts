import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { fixture } from './fixture.js';
import { DeployBusyError, MainMovedError } from '../../src/deploy/core.js';
import { acquireLock, deployLockName, releaseLock } from '../../src/deploy/lock.js';
import { openConnection } from '../../src/deploy/store.js';
import type { StateChange } from '../../src/deploy/events.js';

test('a second deploy on the same target is refused with who holds it, or queued with --wait', async () => {
  const f = await fixture({ rows: 100 });
  // Another process deploying to the same database holds this lock for the whole deploy.
  const other = await openConnection(f.target);
  try {
    assert.equal(await acquireLock(other, deployLockName(f.main), 0), true);
    const r = await f.dr.create(f.branch);
    await assert.rejects(
      f.dr.deploy(r.id),
      (err: unknown) => err instanceof DeployBusyError && err.message.includes(`deploy request #${r.id} cannot start now: another schemabranch process is working on ${f.main} (lock schemabranch:deploy:${f.main} held by `) && /Run it with --wait/.test(err.message),
    );
    assert.equal((await f.dr.show(r.id)).state, 'open', 'a refused deploy leaves the request open');

    const queued = once(f.dr.events, 'state', { signal: AbortSignal.timeout(30_000) }) as Promise<[StateChange]>;
    const running = f.dr.deploy(r.id, { wait: true });
    const [change] = await queued;
    assert.equal(change.state, 'queued');
    assert.match(change.message, /^queued: another schemabranch process is working on/);
    assert.equal((await f.another().show(r.id)).state, 'queued', 'other processes see it queued');
    await releaseLock(other, deployLockName(f.main));
    const done = await running;
    assert.equal(done.state, 'complete_pending_revert');
    assert.deepEqual((await f.dr.history(r.id)).map((e) => e.toState), ['open', 'queued', 'in_progress', 'complete_pending_revert']);
  } finally {
    await other.end();
    await f.cleanup();
  }
});

test('a queued request cancelled by someone else leaves the queue', async () => {
  const f = await fixture({ rows: 10 });
  const other = await openConnection(f.target);
  try {
    await acquireLock(other, deployLockName(f.main), 0);
    const r = await f.dr.create(f.branch);
    const queued = once(f.dr.events, 'state', { signal: AbortSignal.timeout(30_000) });
    const running = f.dr.deploy(r.id, { wait: true });
    await queued;
    assert.equal((await f.another().cancel(r.id)).state, 'cancelled');
    await assert.rejects(running, new RegExp(`deploy request #${r.id} left the queue: it is cancelled now`));
  } finally {
    await other.end();
    await f.cleanup();
  }
});

test('a request whose tables changed on main since it was opened is refused with how to fix it', async () => {
  const f = await fixture({ rows: 10 });
  try {
    const r = await f.dr.create(f.branch);
    await f.conn.query('ALTER TABLE users ADD COLUMN age int NULL');
    await assert.rejects(f.dr.deploy(r.id), (err: unknown) => {
      assert.ok(err instanceof MainMovedError);
      assert.deepEqual(err.tables, ['users']);
      assert.match(err.message, /main changed since it was opened, in the table it changes \(users\)/);
      assert.match(err.message, /Re-open the deploy request/);
      return true;
    });
    assert.equal((await f.dr.show(r.id)).state, 'open');
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'age'], 'nothing was deployed');
  } finally {
    await f.cleanup();
  }
});

test('a change on main to a table the request does not touch is rebased over', async () => {
  const f = await fixture({ rows: 10 });
  try {
    const r = await f.dr.create(f.branch);
    await f.conn.query('ALTER TABLE notes ADD COLUMN pinned tinyint NOT NULL DEFAULT 0');
    const done = await f.dr.deploy(r.id);
    assert.equal(done.state, 'complete_pending_revert');
    assert.deepEqual(await f.columns('notes'), ['id', 'body', 'pinned'], "main's own change is kept");
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
    const history = await f.dr.history(r.id);
    assert.ok(history.some((e) => /main moved on since the request was opened \(notes\); none of those tables is changed by it, so it was rebased/.test(e.message)));
  } finally {
    await f.cleanup();
  }
});

test('a second request on the same tables waits for the first one\'s revert window', async () => {
  const f = await fixture({ rows: 10 });
  try {
    const first = await f.dr.create(f.branch);
    await f.dr.deploy(first.id);
    // A second branch changing users again.
    await f.conn.query(`CREATE DATABASE \`${f.main}__more\``);
    await f.conn.query(`CREATE TABLE \`${f.main}__more\`.users (id int unsigned NOT NULL AUTO_INCREMENT, email varchar(100) NOT NULL, nick varchar(20) NOT NULL DEFAULT '', bio text, PRIMARY KEY (id), KEY idx_users_nick (nick)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await f.conn.query(`CREATE TABLE \`${f.main}__more\`.notes LIKE notes`);
    try {
      const second = await f.dr.create('more');
      assert.deepEqual(second.changes.map((c) => `${c.kind} ${c.table}`), ['alter_table users'], 'the first deploy\'s helper tables are not part of the diff');
      await assert.rejects(f.dr.deploy(second.id), new RegExp(`deploy request #${first.id} keeps a revert window open on users until .*skip-revert ${first.id}`));
      await f.dr.skipRevert(first.id);
      assert.equal((await f.dr.deploy(second.id)).state, 'complete_pending_revert');
    } finally {
      await f.conn.query(`DROP DATABASE \`${f.main}__more\``);
    }
  } finally {
    await f.cleanup();
  }
});
