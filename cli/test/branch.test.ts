import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadWorkspaceConfig } from '../../engine/src/config/load.js';
import { withConnection, workspaceSandbox } from '../../engine/src/db/connection.js';
import { quoteIdent } from '../../engine/src/sql/quote.js';
import { POSTS, testWorkspace, urlOf, USERS } from '../../engine/test/branch/workspace.js';
import { cli } from './run-cli.js';

test('init, branch create/list/push/delete, diff: --json documents and exit codes', async () => {
  const ws = await testWorkspace({ 'schema/main/users.sql': USERS, 'schema/main/posts.sql': POSTS });
  const dir = ['--dir', ws.root];
  try {
    const pushMain = await cli(['branch', 'push', 'main', ...dir, '--json']);
    assert.equal(pushMain.code, 0, pushMain.stderr);
    assert.equal((JSON.parse(pushMain.stdout) as { bootstrap: boolean }).bootstrap, true);

    const create = await cli(['branch', 'create', 'feat', ...dir, '--json']);
    assert.equal(create.code, 0, create.stderr);
    assert.deepEqual(JSON.parse(create.stdout), { branch: 'feat', database: `${ws.config.database}__feat`, folder: 'schema/feat', tables: 2 });

    ws.write('schema/feat/users.sql', USERS.replace('  email VARCHAR(255) NOT NULL,\n', ''));
    // Read-only commands run side by side.
    const [diff, human, list, lint] = await Promise.all([
      cli(['diff', 'feat', ...dir, '--json']),
      cli(['diff', 'feat', ...dir]),
      cli(['branch', 'list', ...dir, '--json']),
      cli(['lint', 'feat', '--against-main', ...dir, '--json']),
    ]);
    assert.equal(lint.code, 1, 'dropping a column is an error-level deploy-time violation');
    assert.ok((JSON.parse(lint.stdout) as { violations: Array<{ code: string }> }).violations.some((v) => v.code === 'destructive-change'));
    assert.equal(diff.code, 0, diff.stderr);
    const d = JSON.parse(diff.stdout) as { base: string; changes: Array<{ table: string; class: string; statement: string }> };
    assert.equal(d.base, 'main-database');
    assert.equal(d.changes.length, 1);
    assert.equal(d.changes[0].class, 'destructive');
    assert.match(d.changes[0].statement, /DROP COLUMN `email`/);
    assert.match(human.stdout, /-- destructive/);

    const rows = JSON.parse(list.stdout) as Array<{ name: string; changes: number | null }>;
    assert.deepEqual(rows.map((r) => [r.name, r.changes]), [['main', 0], ['feat', 1]]);

    ws.write('schema/main/tags.sql', 'CREATE TABLE tags (id INT PRIMARY KEY);\n');
    const refused = await cli(['branch', 'push', 'main', ...dir, '--json']);
    assert.equal(refused.code, 1);
    assert.match((JSON.parse(refused.stdout) as { error: { message: string } }).error.message, /deploy-request create/);
    assert.match(refused.stderr, /deploy requests/);

    assert.equal((await cli(['branch', 'push', 'feat', ...dir])).code, 0);
    const del = await cli(['branch', 'delete', 'feat', ...dir, '--json']);
    assert.deepEqual(JSON.parse(del.stdout), { branch: 'feat', droppedDatabase: true, removedFolder: true });
    assert.equal((await cli(['branch', 'delete', 'main', ...dir])).code, 1);
  } finally {
    await ws.cleanup();
  }
});

test('init --pull reads an existing database into schema/main/', async () => {
  const ws = await testWorkspace({});
  try {
    await withConnection(ws.target, undefined, async (conn) => {
      await conn.query(`CREATE DATABASE ${quoteIdent(ws.config.database)} CHARACTER SET utf8mb4`);
      await conn.query(`USE ${quoteIdent(ws.config.database)}`);
      await conn.query(USERS);
      await conn.query(POSTS);
    });
    const r = await cli(['init', '--dir', ws.root, '--force', '--database', ws.config.database, '--url', urlOf(ws.target), '--pull', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { pulled: string[] }).pulled.sort(), ['schema/main/posts.sql', 'schema/main/users.sql']);
    assert.match(readFileSync(join(ws.root, 'schema/main/posts.sql'), 'utf8'), /^CREATE TABLE `posts`/);
    const lint = await cli(['lint', '--dir', ws.root, '--json']);
    assert.equal((JSON.parse(lint.stdout) as { tables: number }).tables, 2);
  } finally {
    await ws.cleanup();
  }
});

test('sandbox start, status and stop, with --json and exit codes', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-cli-sandbox-'));
  try {
    const before = await cli(['sandbox', 'status', '--dir', root, '--json']);
    assert.equal(before.code, 1, 'not running is a failure CI can test for');
    assert.equal((JSON.parse(before.stdout) as { running: boolean }).running, false);
    const start = await cli(['sandbox', 'start', '--dir', root, '--json']);
    assert.equal(start.code, 0, start.stderr);
    const started = JSON.parse(start.stdout) as { running: boolean; target: { port: number } };
    const status = await cli(['sandbox', 'status', '--dir', root, '--json']);
    assert.equal(status.code, 0);
    assert.equal((JSON.parse(status.stdout) as { target: { port: number } }).target.port, started.target.port);
    const stop = await cli(['sandbox', 'stop', '--dir', root, '--json']);
    assert.deepEqual(JSON.parse(stop.stdout), { running: false, stopped: true, dir: join(root, '.schemabranch', 'sandbox') });
    assert.equal((await cli(['sandbox', 'bogus', '--dir', root])).code, 2);
  } finally {
    await workspaceSandbox(loadWorkspaceConfig(root)).destroy();
    rmSync(root, { recursive: true, force: true });
  }
});

test('branch create counts tables, not statements: foreign keys closing a cycle (Sakila\'s store and staff) are not tables', async () => {
  const STORE = 'CREATE TABLE store (\n  id INT NOT NULL PRIMARY KEY,\n  manager_id INT NOT NULL,\n  KEY (manager_id),\n  CONSTRAINT fk_store_manager FOREIGN KEY (manager_id) REFERENCES staff (id)\n);\n';
  const STAFF = 'CREATE TABLE staff (\n  id INT NOT NULL PRIMARY KEY,\n  store_id INT NOT NULL,\n  KEY (store_id),\n  CONSTRAINT fk_staff_store FOREIGN KEY (store_id) REFERENCES store (id)\n);\n';
  const ws = await testWorkspace({ 'schema/main/store.sql': STORE, 'schema/main/staff.sql': STAFF });
  const dir = ['--dir', ws.root];
  try {
    assert.equal((await cli(['branch', 'push', 'main', ...dir])).code, 0);
    const create = await cli(['branch', 'create', 'feat', ...dir, '--json']);
    assert.equal(create.code, 0, create.stderr);
    assert.equal((JSON.parse(create.stdout) as { tables: number }).tables, 2);
    const human = await cli(['branch', 'delete', 'feat', ...dir]);
    assert.equal(human.code, 0, human.stderr);
    const again = await cli(['branch', 'create', 'feat', ...dir]);
    assert.match(again.stdout, /\(2 tables\)/);
  } finally {
    await ws.cleanup();
  }
});
