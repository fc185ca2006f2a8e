import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { followDeploysInMainFiles, mainFilesBackup } from '../../src/branch/main-files.js';
import { deployRequestsFor } from '../../src/deploy/workspace.js';
import { columnsOf, POSTS, testWorkspace, USERS } from './workspace.js';

test('main files follow deploys: the branch files as written after cut-over, the old files back after revert', async () => {
  const ws = await testWorkspace({ 'schema/main/posts.sql': POSTS, 'schema/main/users.sql': USERS }, 'mf');
  const dr = deployRequestsFor(ws.config, ws.target, { revertWindowSeconds: 600 });
  const reports: string[] = [];
  const follow = followDeploysInMainFiles(ws.root, ws.config, ws.target, dr.events, (line) => {
    reports.push(line);
  });
  try {
    await ws.branches.pushBranch('main');
    await ws.branches.createBranch('nick');
    const edited = USERS.replace('  PRIMARY KEY', '  -- shown on profiles\n  nickname VARCHAR(50) NULL,\n  PRIMARY KEY');
    assert.notEqual(edited, USERS, 'the fixture has the line the edit relies on');
    ws.write('schema/nick/users.sql', edited);
    await ws.branches.pushBranch('nick');

    const request = await dr.create('nick');
    await dr.deploy(request.id);
    await follow.dispose();
    const mainUsers = join(ws.root, 'schema/main/users.sql');
    assert.equal(readFileSync(mainUsers, 'utf8'), edited, "main's file is the branch's file, comment and layout kept");
    assert.ok(existsSync(mainFilesBackup(ws.root, request.id)), 'the files from before are kept for a revert');
    assert.match(reports.join('\n'), /schema\/main now holds branch nick's files/);

    const again = followDeploysInMainFiles(ws.root, ws.config, ws.target, dr.events, (line) => {
    reports.push(line);
  });
    await dr.revert(request.id);
    await again.dispose();
    assert.deepEqual(await columnsOf(ws.target, ws.config.database, 'users'), ['id', 'email', 'created_at']);
    assert.equal(readFileSync(mainUsers, 'utf8'), USERS, "main's file is exactly what it was before the deploy");
    assert.equal(existsSync(mainFilesBackup(ws.root, request.id)), false);
    assert.match(reports.join('\n'), /back to its files from before deploy request/);
  } finally {
    await follow.dispose();
    await dr.dispose();
    await ws.cleanup();
  }
});
