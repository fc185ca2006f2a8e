/**
 * Issue 9, finding 5: paths outside the workspace. `sandbox.dir: "../victim"`
 * with a failing binary deleted ../victim/data; `schemaDir: "../outside"`, a
 * symlinked file in schema/main/ or a symlinked branch folder let
 * `branch pull` overwrite or delete files outside; the CLI and the language
 * server disagreed on links and on an absolute schemaDir.
 */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../../../cli/test/run-cli.js';
import { startClient } from '../../../server/test/support/lsp.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { hostileRepo, TABLE } from './repo.js';

const FAIL_FAST = { SCHEMABRANCH_MARIADBD: '/bin/false' };

test('finding 5: sandbox.dir and schemaDir outside the workspace are refused, and nothing outside changes', async () => {
  const repo = hostileRepo({ 'schema/main/users.sql': TABLE });
  const victimData = join(repo.outside, 'data', 'ibdata1');
  const victimSchema = join(repo.outside, 'main', 'users.sql');
  try {
    repo.write('../outside/data/ibdata1', 'precious');
    repo.write('../outside/main/users.sql', 'precious');
    repo.write('schemabranch.json', JSON.stringify({ database: 'hostile5a', connection: { sandbox: { dir: '../outside' } } }));
    const start = await cli(['--dir', repo.root, 'sandbox', 'start'], FAIL_FAST);
    assert.notEqual(start.code, 0);
    assert.match(start.stderr, /connection\.sandbox\.dir "\.\.\/outside" is outside the workspace .*Use a folder inside it, for example "\.schemabranch\/sandbox"/s);

    repo.write('schemabranch.json', JSON.stringify({ database: 'hostile5a', schemaDir: '../outside' }));
    const pull = await cli(['--dir', repo.root, 'branch', 'pull', 'main'], FAIL_FAST);
    assert.notEqual(pull.code, 0);
    assert.match(pull.stderr, /schemaDir "\.\.\/outside" is outside the workspace/);

    // The same rule in the editor: the file is refused and nothing outside is read as a schema file.
    const c = await startClient(repo.root);
    try {
      assert.match(c.session.configError ?? '', /schemaDir "\.\.\/outside" is outside the workspace/);
      assert.equal([...c.session.workspace.docs.keys()].some((p) => p.startsWith(repo.outside)), false);
    } finally {
      await c.close();
    }
    assert.equal(readFileSync(victimData, 'utf8'), 'precious');
    assert.equal(readFileSync(victimSchema, 'utf8'), 'precious');
  } finally {
    repo.remove();
  }
});

test('finding 5: branch pull never writes through or deletes a symbolic link, and a linked branch folder is refused', async () => {
  const db = await freshDatabase('hostile5');
  const repo = hostileRepo({ 'schema/main/keep.sql': TABLE });
  try {
    const conn = await connect(db.target, db.database);
    await conn.query('CREATE TABLE users (id int NOT NULL PRIMARY KEY)');
    await conn.query(`CREATE DATABASE ${quoteIdent(`${db.database}__feat`)}`);
    await conn.end();
    repo.write('schemabranch.json', JSON.stringify({ database: db.database, connection: { url: `mysql://root@localhost?socket=${db.target.socketPath}` } }));
    const target = repo.write('../outside/target.sql', 'precious target');
    const stale = repo.write('../outside/stale.sql', 'precious stale');
    repo.link('schema/main/users.sql', target);
    repo.link('schema/main/stale.sql', stale);
    repo.write('../outside/feat/a.sql', 'precious a');
    repo.link('schema/feat', join(repo.outside, 'feat'));

    const pull = await cli(['--dir', repo.root, 'branch', 'pull', 'main']);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stderr, /skipped schema\/main\/users\.sql: it is a symbolic link/);
    assert.match(pull.stderr, /skipped schema\/main\/stale\.sql: it is a symbolic link/);
    assert.equal(readFileSync(target, 'utf8'), 'precious target');
    assert.equal(readFileSync(stale, 'utf8'), 'precious stale');
    assert.ok(lstatSync(join(repo.root, 'schema/main/stale.sql')).isSymbolicLink(), 'the link itself is left alone');
    assert.equal(existsSync(join(repo.root, 'schema/main/keep.sql')), false, 'a regular stale file is still removed');

    const feat = await cli(['--dir', repo.root, 'branch', 'pull', 'feat']);
    assert.notEqual(feat.code, 0);
    assert.match(feat.stderr, /The folder of branch feat "schema\/feat" leads \(through a symbolic link\) outside the workspace.*Replace the symbolic link with a real folder/s);
    assert.equal(readFileSync(join(repo.outside, 'feat', 'a.sql'), 'utf8'), 'precious a');
  } finally {
    repo.remove();
    const conn = await connect(db.target);
    await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(`${db.database}__feat`)}`);
    await conn.end();
    await db.drop();
  }
});

test('finding 5: the CLI and the language server agree on a linked file and on an absolute schemaDir', async () => {
  const repo = hostileRepo({ 'defs/main/users.sql': TABLE });
  try {
    repo.write('schemabranch.json', JSON.stringify({ database: 'hostile5c', schemaDir: join(repo.root, 'defs') }));
    const secret = repo.write('../outside/secret.sql', 'CREATE TABLE secret (id int NOT NULL PRIMARY KEY);\n');
    repo.link('defs/main/secret.sql', secret);

    const lint = await cli(['--dir', repo.root, 'lint', 'main']);
    assert.notEqual(lint.code, 0);
    assert.match(lint.stdout + lint.stderr, /defs\/main\/secret\.sql:1:1: error: Not checked: it is a symbolic link.*\[file-skipped\]/);

    const c = await startClient(repo.root);
    try {
      assert.equal(c.session.workspace.schemaRoot, join(repo.root, 'defs'));
      const d = c.diagnostics.get(c.session.workspace.documentsOf('main').find((x) => x.path.endsWith('secret.sql'))?.uri ?? '') ?? [];
      assert.equal(d[0]?.code, 'file-skipped');
      assert.equal(d[0]?.severity, 1);
      assert.match(String(d[0]?.message), /symbolic link/);
      assert.equal(c.session.workspace.documentsOf('main').length, 2, 'the server sees the same two files the CLI sees');
    } finally {
      await c.close();
    }
  } finally {
    repo.remove();
  }
});

test('finding 5 (sandbox part): a failed start never deletes a data folder it did not create', async () => {
  const repo = hostileRepo({ 'schemabranch.json': JSON.stringify({ database: 'hostile5d', connection: { sandbox: { dir: 'precious' } } }) });
  const keep = repo.write('precious/data/keep.txt', 'mine');
  const failing = repo.trap('../outside/failing-mysqld');
  try {
    const r = await cli(['--dir', repo.root, 'sandbox', 'start'], { SCHEMABRANCH_MARIADBD: failing.path });
    assert.notEqual(r.code, 0);
    assert.equal(failing.ran(), true);
    assert.ok(existsSync(keep), 'the pre-existing data folder was deleted');
  } finally {
    repo.remove();
  }
});
