import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from './fixture.js';
import type { OnlineMigration } from '../../src/migration/index.js';
import { onlineMigrations, type MigrationEngine } from '../../src/deploy/migrations.js';

/** The real migration engine, with one step made to fail the way a lost connection would (before doing anything). */
function failing(step: 'copy' | 'cutOver'): MigrationEngine {
  const real = onlineMigrations;
  const wrap = (m: OnlineMigration): OnlineMigration =>
    new Proxy(m, {
      get(target, prop, receiver) {
        if (prop === step) return () => Promise.reject(new Error(`simulated: connection lost during ${step}`));
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  return {
    prepare: async (...args) => wrap(await real.prepare(...args)),
    load: async (...args) => wrap(await real.load(...args)),
  };
}

test('a copy that fails is cleaned up and recorded as error_retryable; deploying again starts a fresh migration', async () => {
  const f = await fixture({ rows: 200 });
  try {
    const broken = f.another({ migrations: failing('copy') });
    const r = await broken.create(f.branch);
    await assert.rejects(broken.deploy(r.id), (err: unknown) => {
      assert.match((err as Error).message, /failed during deploy: simulated: connection lost during copy\nRetry is safe: main is unchanged/);
      assert.equal((err as Error & { retrySafe: boolean }).retrySafe, true);
      return true;
    });
    const failed = await f.dr.show(r.id);
    assert.equal(failed.state, 'error_retryable');
    assert.deepEqual(failed.error && { retrySafe: failed.error.retrySafe, during: failed.error.during }, { retrySafe: true, during: 'deploy' });
    assert.deepEqual((await f.tables()).filter((t) => /_sb\d+_(new|old)$/.test(t)), [], 'the shadow table was removed');

    const retried = await f.dr.deploy(r.id);
    assert.equal(retried.state, 'complete_pending_revert');
    assert.equal(retried.error, null);
    assert.equal(retried.migrationId, String(r.id + 1_000_000), 'the aborted migration is kept by the engine, so the retry has its own id');
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
  } finally {
    await f.cleanup();
  }
});

test('a cut-over that fails before swapping is safe to retry with apply', async () => {
  const f = await fixture({ rows: 200 });
  try {
    const broken = f.another({ migrations: failing('cutOver') });
    const r = await broken.create(f.branch);
    await assert.rejects(broken.deploy(r.id), /failed during cutover: simulated: connection lost during cutOver\nRetry is safe: Run `deploy-request apply \d+` again/);
    const failed = await f.dr.show(r.id);
    assert.equal(failed.state, 'error_retryable');
    assert.equal(failed.error?.during, 'cutover');
    assert.deepEqual(await f.columns('users'), ['id', 'email'], 'main is unchanged');

    await f.conn.query("INSERT INTO users (email) VALUES ('between@example.com')");
    const applied = await f.dr.apply(r.id);
    assert.equal(applied.state, 'complete_pending_revert');
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
    assert.equal(await f.count(), 201, 'the row written while the request waited in error is there');
  } finally {
    await f.cleanup();
  }
});
