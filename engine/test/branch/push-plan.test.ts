/**
 * A push runs exactly the statements the user was shown (the editor shows a dry
 * run's, then pushes with them as `expect`), or none: a file changed in between
 * makes it refuse before anything runs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PushPlanChangedError } from '../../src/branch/errors.js';
import { columnsOf, testWorkspace, USERS } from './workspace.js';

test('a push with the statements the user was shown runs exactly those; after a file changed it runs none', async () => {
  const ws = await testWorkspace({ 'schema/main/users.sql': USERS });
  try {
    const shown = await ws.branches.pushBranch('main', { dryRun: true });
    const statements = [shown.createDatabase!, ...shown.changes.map((c) => c.statement)];
    assert.match(statements[0]!, /^CREATE DATABASE /);
    const done = await ws.branches.pushBranch('main', { expect: statements });
    assert.deepEqual([done.createDatabase, ...done.changes.map((c) => c.statement)], statements);

    await ws.branches.createBranch('feat');
    ws.write('schema/feat/users.sql', USERS.replace('email VARCHAR(255) NOT NULL,', 'email VARCHAR(255) NOT NULL,\n  nick VARCHAR(20) DEFAULT NULL,'));
    const seen = (await ws.branches.pushBranch('feat', { dryRun: true })).changes.map((c) => c.statement);
    assert.equal(seen.length, 1);
    // The file changes again after the user saw the plan: the push refuses, and the database is as it was.
    ws.write('schema/feat/users.sql', USERS.replace('email VARCHAR(255) NOT NULL,', 'email VARCHAR(255) NOT NULL,\n  nick VARCHAR(40) DEFAULT NULL,'));
    await assert.rejects(ws.branches.pushBranch('feat', { expect: seen }), (err: unknown) => err instanceof PushPlanChangedError && /no longer the ones you were shown.*Nothing was run/.test(err.message));
    assert.ok(!(await columnsOf(ws.target, `${ws.config.database}__feat`, 'users')).includes('nick'), 'nothing ran');
  } finally {
    await ws.cleanup();
  }
});
