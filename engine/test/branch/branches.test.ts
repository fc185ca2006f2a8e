import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BranchExistsError, BranchHasProblemsError, BranchNameError, MainIsProtectedError } from '../../src/branch/index.js';
import { isEngineTable } from '../../src/branch/engine-tables.js';
import { branchDatabase, validateBranchName } from '../../src/branch/names.js';
import { oldName, shadowName } from '../../src/migration/names.js';
import { withConnection } from '../../src/db/connection.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { columnsOf, POSTS, tablesOf, testWorkspace, USERS } from './workspace.js';

const MAIN_FILES = { 'schema/main/posts.sql': POSTS, 'schema/main/users.sql': USERS };

test('branch names: clear refusals, and database names derived from main', async () => {
  const ws = await testWorkspace({});
  try {
    for (const bad of ['Feature', '-x', 'a/b', 'a b', '', 'x__y', 'é']) assert.throws(() => validateBranchName(bad), BranchNameError, bad);
    assert.throws(() => validateBranchName('x'.repeat(60), ws.config), /too long.*at most \d+ characters/);
    validateBranchName('add-orders_2');
    assert.equal(branchDatabase(ws.config, 'main'), ws.config.database);
    assert.equal(branchDatabase(ws.config, 'feat-1'), `${ws.config.database}__feat-1`);
    await assert.rejects(ws.branches.createBranch('Bad Name'), /not a valid branch name/);
  } finally {
    await ws.cleanup();
  }
});

test('main: the first push loads it, later pushes are refused with the deploy-request route', async () => {
  const ws = await testWorkspace(MAIN_FILES);
  try {
    const first = await ws.branches.pushBranch('main');
    assert.equal(first.bootstrap, true);
    assert.equal(first.createdDatabase, true);
    assert.deepEqual(first.changes.map((c) => c.kind), ['create_table', 'create_table']);
    assert.deepEqual(await tablesOf(ws.target, ws.config.database), ['posts', 'users']);
    const again = await ws.branches.pushBranch('main');
    assert.deepEqual([again.bootstrap, again.changes.length], [false, 0], 'main that matches its files is a no-op, not a refusal');

    ws.write('schema/main/users.sql', USERS.replace('  PRIMARY KEY', '  nickname VARCHAR(50) NULL,\n  PRIMARY KEY'));
    await assert.rejects(ws.branches.pushBranch('main'), (err: unknown) => {
      assert.ok(err instanceof MainIsProtectedError);
      assert.match(err.message, /only through deploy requests/);
      assert.match(err.message, /schemabranch deploy-request create <branch>/);
      return true;
    });
    assert.deepEqual(await columnsOf(ws.target, ws.config.database, 'users'), ['id', 'email', 'created_at'], 'main was not touched');
    await assert.rejects(ws.branches.deleteBranch('main'), MainIsProtectedError);
  } finally {
    await ws.cleanup();
  }
});

test('create copies main, list counts changes vs main, push applies direct DDL, delete removes both', async () => {
  const ws = await testWorkspace(MAIN_FILES);
  try {
    await ws.branches.pushBranch('main');
    const created = await ws.branches.createBranch('feature-x');
    const db = `${ws.config.database}__feature-x`;
    assert.equal(created.database, db);
    assert.deepEqual(readdirSync(join(ws.root, 'schema/feature-x')).sort(), ['posts.sql', 'users.sql']);
    assert.equal(readFileSync(join(ws.root, 'schema/feature-x/users.sql'), 'utf8'), USERS, 'files are copied as written');
    assert.deepEqual(await tablesOf(ws.target, db), ['posts', 'users']);
    await assert.rejects(ws.branches.createBranch('feature-x'), BranchExistsError);

    let list = await ws.branches.listBranches();
    assert.deepEqual(list.map((b) => [b.name, b.folderExists, b.databaseExists, b.changes]), [['main', true, true, 0], ['feature-x', true, true, 0]]);

    ws.write('schema/feature-x/users.sql', USERS.replace('  PRIMARY KEY', '  nickname VARCHAR(50) NULL,\n  PRIMARY KEY'));
    ws.write('schema/feature-x/tags.sql', 'CREATE TABLE tags (id INT NOT NULL, name VARCHAR(40) NOT NULL, PRIMARY KEY (id));\n');
    list = await ws.branches.listBranches();
    assert.equal(list.find((b) => b.name === 'feature-x')?.changes, 2, 'an ALTER and a CREATE vs main');

    const dry = await ws.branches.pushBranch('feature-x', { dryRun: true });
    assert.equal(dry.changes.length, 2);
    assert.deepEqual(await columnsOf(ws.target, db, 'users'), ['id', 'email', 'created_at'], 'a dry run changes nothing');

    const pushed = await ws.branches.pushBranch('feature-x');
    assert.equal(pushed.bootstrap, false);
    assert.deepEqual(pushed.changes.map((c) => `${c.kind} ${c.table}`).sort(), ['alter_table users', 'create_table tags']);
    assert.deepEqual(await columnsOf(ws.target, db, 'users'), ['id', 'email', 'created_at', 'nickname']);
    assert.deepEqual(await tablesOf(ws.target, db), ['posts', 'tags', 'users']);
    assert.equal((await ws.branches.pushBranch('feature-x')).changes.length, 0, 'a second push has nothing to do');
    assert.deepEqual(await columnsOf(ws.target, ws.config.database, 'users'), ['id', 'email', 'created_at'], 'main is untouched');

    const diff = await ws.branches.diffBranch('feature-x');
    assert.equal(diff.base, 'main-database');
    assert.deepEqual(diff.changes.map((c) => c.class), ['safe', 'safe']);

    const deleted = await ws.branches.deleteBranch('feature-x');
    assert.deepEqual(deleted, { branch: 'feature-x', droppedDatabase: true, removedFolder: true });
    assert.equal(existsSync(join(ws.root, 'schema/feature-x')), false);
    assert.deepEqual(await tablesOf(ws.target, db), []);
    await assert.rejects(ws.branches.deleteBranch('feature-x'), /There is no branch feature-x/);
  } finally {
    await ws.cleanup();
  }
});

test('a branch with syntax errors is refused, naming file:line:col', async () => {
  const ws = await testWorkspace(MAIN_FILES);
  try {
    await ws.branches.pushBranch('main');
    await ws.branches.createBranch('broken');
    ws.write('schema/broken/users.sql', 'CREATE TABLE users (\n  id BIGINT NOT NULL,\n  email VARCHAR(255) NOT NULL DEFAULT,\n  PRIMARY KEY (id)\n);\n');
    const loaded = ws.branches.load('broken');
    assert.ok(loaded.problems.some((p) => p.severity === 'error' && p.file === 'schema/broken/users.sql'));
    await assert.rejects(ws.branches.pushBranch('broken'), (err: unknown) => {
      assert.ok(err instanceof BranchHasProblemsError);
      assert.match(err.message, /schema\/broken\/users\.sql:3:\d+: error: /);
      return true;
    });
    const summary = (await ws.branches.listBranches()).find((b) => b.name === 'broken');
    assert.equal(summary?.changes, null);
    assert.ok((summary?.problems ?? 0) >= 1);
  } finally {
    await ws.cleanup();
  }
});

test('pull writes one canonical file per table that loads back with no changes', async () => {
  const ws = await testWorkspace({});
  try {
    await withConnection(ws.target, undefined, async (conn) => {
      await conn.query(`CREATE DATABASE ${quoteIdent(ws.config.database)} CHARACTER SET utf8mb4`);
      await conn.query(`USE ${quoteIdent(ws.config.database)}`);
      await conn.query(USERS);
      await conn.query(POSTS);
      await conn.query('CREATE TABLE `odd/name` (id INT PRIMARY KEY, note TEXT)');
    });
    ws.write('schema/main/stale.sql', 'CREATE TABLE stale (id INT PRIMARY KEY);\n');
    const pulled = await ws.branches.pullBranch('main');
    assert.deepEqual(pulled.written.sort(), ['schema/main/odd_name.sql', 'schema/main/posts.sql', 'schema/main/users.sql']);
    assert.deepEqual(pulled.removed, ['schema/main/stale.sql']);
    const text = readFileSync(join(ws.root, 'schema/main/users.sql'), 'utf8');
    assert.match(text, /^CREATE TABLE `users`/);
    assert.match(text, /;\n$/);
    const loaded = ws.branches.load('main');
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.schema.tables.length, 3);
    // The pulled files match the live database exactly: pushing main finds nothing to do.
    assert.equal((await ws.branches.pushBranch('main')).changes.length, 0);
    await ws.branches.createBranch('copy');
    assert.equal((await ws.branches.diffBranch('copy')).changes.length, 0, 'pulled files round-trip through a branch with no diff');
    await assert.rejects(ws.branches.pullBranch('nothing-here'), /does not exist on the server/);
  } finally {
    await ws.cleanup();
  }
});

test('the online migration helper tables are never part of a branch', () => {
  for (const name of [shadowName('orders', 3), oldName('orders', 3), oldName('x'.repeat(64), 12)]) assert.equal(isEngineTable(name), true, name);
  for (const name of ['orders', 'sbx_new', 'orders_sb_new', 'my_sb3_table']) assert.equal(isEngineTable(name), false, name);
});
