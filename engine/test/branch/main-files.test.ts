import assert from 'node:assert/strict';
import { existsSync, linkSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { followDeploysInMainFiles, mainFilesBackup } from '../../src/branch/main-files.js';
import { reconcileMainFiles } from '../../src/branch/main-reconcile.js';
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

    const mainUsers = join(ws.root, 'schema/main/users.sql');
    const mainPosts = join(ws.root, 'schema/main/posts.sql');
    // An editor watching the folder must never see a file that stays vanish. A second name for the
    // file follows every write made in place, and keeps the old text if the file is removed and made again.
    const sameFile = join(ws.root, 'users-second-name.sql');
    linkSync(mainUsers, sameFile);
    const postsBefore = statSync(mainPosts);
    const request = await dr.create('nick');
    await dr.deploy(request.id);
    await follow.dispose();
    assert.equal(readFileSync(sameFile, 'utf8'), edited, "main's users.sql is rewritten in place, not removed and made again");
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
    assert.equal(readFileSync(sameFile, 'utf8'), USERS, 'the revert writes users.sql in place too');
    const postsAfter = statSync(mainPosts);
    assert.deepEqual([postsAfter.ino, postsAfter.mtimeMs], [postsBefore.ino, postsBefore.mtimeMs], 'posts.sql, unchanged by the deploy, was never written');
    assert.equal(existsSync(mainFilesBackup(ws.root, request.id)), false);
    assert.match(reports.join('\n'), /back to its files from before deploy request/);
  } finally {
    await follow.dispose();
    await dr.dispose();
    await ws.cleanup();
  }
});

test('a deploy changes only the main files of what it changed: hand-written files stay as written, a BINARY default included', async () => {
  const BOT = "-- MediaWiki's bot_passwords, as written\ncreate table bot_passwords (\n  bp_user INT UNSIGNED NOT NULL,\n  bp_token BINARY(32) DEFAULT '' NOT NULL,\n  flag tinyint(1) not null default 0,\n  PRIMARY KEY(bp_user)\n);\n";
  const ws = await testWorkspace({ 'schema/main/posts.sql': POSTS, 'schema/main/users.sql': USERS, 'schema/main/bot_passwords.sql': BOT }, 'mf');
  const dr = deployRequestsFor(ws.config, ws.target, { revertWindowSeconds: 600 });
  const reports: string[] = [];
  const follow = followDeploysInMainFiles(ws.root, ws.config, ws.target, dr.events, (line) => {
    reports.push(line);
  });
  try {
    await ws.branches.pushBranch('main');
    assert.deepEqual((await ws.branches.diffBranch('main')).changes, [], 'an untouched BINARY(32) DEFAULT \'\' diffs empty');
    await ws.branches.createBranch('nick');
    const edited = USERS.replace('  PRIMARY KEY', '  nickname VARCHAR(50) NULL,\n  PRIMARY KEY');
    ws.write('schema/nick/users.sql', edited);
    // A file the branch reformatted without changing its table: main keeps its own spelling.
    ws.write('schema/nick/posts.sql', POSTS.toLowerCase().replace('create table posts', 'CREATE TABLE posts'));
    await ws.branches.pushBranch('nick');

    const request = await dr.create('nick');
    await dr.deploy(request.id);
    await follow.settled();
    const read = (f: string): string => readFileSync(join(ws.root, 'schema/main', f), 'utf8');
    assert.equal(read('users.sql'), edited, 'the deployed table takes the branch file as written');
    assert.equal(read('posts.sql'), POSTS, 'a table the deploy did not change keeps main\'s file');
    assert.equal(read('bot_passwords.sql'), BOT, 'a hand-written file the deploy did not touch is byte for byte the same');
    assert.match(reports.join('\n'), /1 file as written there\); 2 other files unchanged/);

    await dr.revert(request.id);
    await follow.settled();
    assert.deepEqual([read('users.sql'), read('posts.sql'), read('bot_passwords.sql')], [USERS, POSTS, BOT]);
  } finally {
    await follow.dispose();
    await dr.dispose();
    await ws.cleanup();
  }
});

test('bringing main\'s files in line removes files of tables that are gone, never writes through or removes a symbolic link', async () => {
  const ws = await testWorkspace({ 'schema/main/posts.sql': POSTS, 'schema/main/users.sql': USERS }, 'mf');
  const outside = mkdtempSync(join(tmpdir(), 'sb-outside-'));
  try {
    await ws.branches.pushBranch('main');
    writeFileSync(join(outside, 'posts.sql'), 'precious');
    rmSync(join(ws.root, 'schema/main/posts.sql'));
    symlinkSync(join(outside, 'posts.sql'), join(ws.root, 'schema/main/posts.sql'));
    ws.write('schema/main/gone.sql', 'CREATE TABLE gone (id INT PRIMARY KEY);\n');
    const change = await reconcileMainFiles(ws.root, ws.config, ws.target, []);
    assert.deepEqual(change, { kept: ['schema/main/users.sql'], copied: [], fromServer: [], removed: ['schema/main/gone.sql'], skipped: ['schema/main/posts.sql'] }, 'a file for a table main no longer has is removed');
    assert.equal(readFileSync(join(outside, 'posts.sql'), 'utf8'), 'precious');
    assert.ok(lstatSync(join(ws.root, 'schema/main/posts.sql')).isSymbolicLink());
  } finally {
    rmSync(outside, { recursive: true, force: true });
    await ws.cleanup();
  }
});
