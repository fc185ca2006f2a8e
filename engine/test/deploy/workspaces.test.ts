import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from './fixture.js';
import { DeployRequestNotFoundError } from '../../src/deploy/store.js';

test("one server, two workspaces: a workspace can neither read, close nor deploy another workspace's request", async () => {
  const a = await fixture({ rows: 10 });
  const b = await fixture({ rows: 10 });
  try {
    const theirs = await b.dr.create(b.branch);
    const mine = await a.dr.create(a.branch);
    const foreign = (err: unknown): boolean => err instanceof DeployRequestNotFoundError && err.message.includes(`targets database ${b.main}, not this workspace's ${a.main}`);
    await assert.rejects(a.dr.show(theirs.id), foreign);
    await assert.rejects(a.dr.history(theirs.id), foreign);
    await assert.rejects(a.dr.close(theirs.id), foreign);
    await assert.rejects(a.dr.deploy(theirs.id), foreign);
    assert.deepEqual((await a.dr.list()).map((r) => r.id), [mine.id]);
    const after = await b.dr.show(theirs.id);
    assert.equal(after.state, 'open');
    assert.deepEqual(await b.columns('users'), ['id', 'email']);
    // The owner still moves it.
    assert.equal((await b.dr.close(theirs.id)).state, 'closed');
  } finally {
    await a.cleanup();
    await b.cleanup();
  }
});
