import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkWorkspaceConfig, DEFAULTS, loadWorkspaceConfig, WorkspaceConfigError } from '../../src/config/index.js';
import type { WorkspaceConfig } from '../../src/config/index.js';
import { parseLocatedJson } from '../../src/config/json.js';

function workspace(name: string, text?: string): string {
  const root = join(mkdtempSync(join(tmpdir(), 'sb-config-')), name);
  mkdirSync(root);
  if (text !== undefined) writeFileSync(join(root, 'schemabranch.json'), text);
  return root;
}

function loadError(text: string): WorkspaceConfigError {
  const root = workspace('w', text);
  try {
    loadWorkspaceConfig(root);
  } catch (err) {
    assert.ok(err instanceof WorkspaceConfigError, `expected WorkspaceConfigError, got ${String(err)}`);
    assert.ok(err.message.includes(join(root, 'schemabranch.json')), 'the message names the file');
    return err;
  } finally {
    rmSync(join(root, '..'), { recursive: true, force: true });
  }
  assert.fail('the bad file was accepted');
}

test('no file: every default, database named after the folder', () => {
  const root = workspace('My Shop-2');
  const c = loadWorkspaceConfig(root);
  assert.equal(c.database, 'my_shop_2');
  assert.equal(c.schemaDir, 'schema');
  assert.equal(c.revertWindowMinutes, 30);
  assert.equal(c.gatedDeploys, false);
  assert.equal(c.connection.url, undefined);
  assert.equal(c.connection.sandbox.dir, join(root, '.schemabranch', 'sandbox'));
  assert.deepEqual(c.lint, { severity: {}, charsets: [] });
  assert.deepEqual(c.migration, DEFAULTS.migration);
  assert.equal(c.file, undefined);
});

test('a full file is read, relative paths resolved against the root', () => {
  const root = workspace('w', JSON.stringify({
    $schema: './docs/schemabranch.schema.json',
    database: 'shop',
    schemaDir: 'db/schema',
    connection: { url: 'mysql://app@db.internal:3307', sandbox: { dir: 'tmp/sb' } },
    revertWindowMinutes: 5,
    gatedDeploys: true,
    requireApprovals: 2,
    lint: { severity: { 'no-primary-key': 'error', 'float-money': 'off' }, charsets: ['utf8mb4'] },
    migration: { chunkTargetMs: 250, maxThreadsRunning: 20, lockWaitSeconds: 2, killBlockersAfterSeconds: 15, replicas: ['mysql://app@replica-1:3306'], maxReplicaLagMs: 500 },
  }));
  const c: WorkspaceConfig = loadWorkspaceConfig(root);
  assert.deepEqual(c, {
    database: 'shop',
    schemaDir: 'db/schema',
    connection: { url: 'mysql://app@db.internal:3307', sandbox: { dir: join(root, 'tmp/sb') } },
    revertWindowMinutes: 5,
    gatedDeploys: true,
    requireApprovals: 2,
    lint: { severity: { 'no-primary-key': 'error', 'float-money': 'off' }, charsets: ['utf8mb4'] },
    migration: { chunkTargetMs: 250, maxThreadsRunning: 20, lockWaitSeconds: 2, killBlockersAfterSeconds: 15, replicas: ['mysql://app@replica-1:3306'], maxReplicaLagMs: 500 },
    file: join(root, 'schemabranch.json'),
  });
});

test('JSON syntax errors carry line and column', () => {
  const err = loadError('{\n  "database": "shop",\n  "schemaDir": "schema",\n}\n');
  assert.deepEqual(err.problems, [{ path: '', message: 'JSON syntax error: Trailing comma before "}".', line: 3, column: 24 }]);
  assert.match(err.message, /schemabranch\.json:3:24: JSON syntax error/);

  const missingComma = loadError('{\n  "database": "shop"\n  "gatedDeploys": true\n}');
  assert.equal(missingComma.problems[0].line, 3);
  assert.equal(missingComma.problems[0].column, 3);
  assert.match(missingComma.problems[0].message, /Expected "," or "}"/);

  assert.match(loadError('{ "a": \'x\' }').problems[0].message, /double quotes/);
  assert.match(loadError('// settings\n{}').problems[0].message, /Comments are not allowed/);
  assert.match(loadError('').problems[0].message, /empty/);
  assert.match(loadError('{"database": "a", "database": "b"}').problems[0].message, /Duplicate property "database"/);
});

test('wrong values name the field, what is expected, and where', () => {
  const err = loadError('{\n  "database": 5,\n  "gatedDeploys": "yes",\n  "revertWindowMinutes": -1,\n  "lint": { "severity": { "x": "loud" } },\n  "migration": { "chunkTargetMs": 1.5 }\n}');
  const byPath = Object.fromEntries(err.problems.map((p) => [p.path, p]));
  assert.deepEqual(byPath.database, { path: 'database', message: 'database must be a string, not number 5.', line: 2, column: 15 });
  assert.equal(byPath.gatedDeploys.message, 'gatedDeploys must be true or false, not the string "yes".');
  assert.equal(byPath.revertWindowMinutes.message, 'revertWindowMinutes must be at least 0, not -1.');
  assert.equal(byPath['lint.severity.x'].message, 'lint.severity.x must be one of "error", "warning", "info", "off", not the string "loud".');
  assert.equal(byPath['migration.chunkTargetMs'].message, 'migration.chunkTargetMs must be a whole number, not number 1.5.');
  assert.equal(err.problems.length, 5, 'every problem is reported at once');
});

test('unknown keys are named, with a suggestion, at the key', () => {
  const err = loadError('{\n  "conection": {},\n  "connection": { "sandbox": { "bin": "x" } }\n}');
  assert.deepEqual(err.problems[0], {
    path: 'conection',
    message: 'Unknown property "conection". Did you mean "connection"? Allowed: $schema, database, schemaDir, connection, revertWindowMinutes, gatedDeploys, requireApprovals, lint, migration.',
    line: 2,
    column: 3,
  });
  assert.match(err.problems[1].message, /^Unknown property "bin" in connection\.sandbox\. Did you mean "binary"\?/);
});

test('connection URLs: host and port, or a socket path', () => {
  for (const url of ['mysql://app@db:3306', 'mysql://app@localhost?socket=/var/run/mysqld/mysqld.sock', 'mariadb://root@127.0.0.1:3307/', 'mysql://db.internal']) {
    assert.deepEqual(checkWorkspaceConfig(JSON.stringify({ connection: { url } })), [], url);
  }
  assert.equal(checkWorkspaceConfig('{"connection": {"url": "mysql://a@b/somedb"}}').length, 1, 'the database comes from "database", not the URL');
});

test('a password in the connection URL is refused', () => {
  const err = loadError('{ "connection": { "url": "mysql://app:secret@db:3306" } }');
  assert.equal(err.problems[0].path, 'connection.url');
  assert.match(err.problems[0].message, /without a password/);
  assert.doesNotMatch(err.message, /must match/);
});

test('the JSON Schema defaults agree with the loader defaults', () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '../../../docs/schemabranch.schema.json'), 'utf8'));
  assert.equal(schema.properties.schemaDir.default, DEFAULTS.schemaDir);
  assert.equal(schema.properties.revertWindowMinutes.default, DEFAULTS.revertWindowMinutes);
  assert.equal(schema.properties.gatedDeploys.default, DEFAULTS.gatedDeploys);
  assert.equal(schema.properties.connection.properties.sandbox.properties.dir.default, DEFAULTS.sandboxDir);
  for (const [k, v] of Object.entries(DEFAULTS.migration)) assert.deepEqual(schema.properties.migration.properties[k].default, v, k);
  assert.equal(schema.properties.requireApprovals.default, DEFAULTS.requireApprovals);
});

test('checkWorkspaceConfig returns no problems for a valid file, and positions survive unicode and CRLF', () => {
  assert.deepEqual(checkWorkspaceConfig('{"database":"shop"}'), []);
  const located = parseLocatedJson('{\r\n  "a": "é",\r\n  "b": [1, true]\r\n}');
  assert.deepEqual(located.positions.get('b[1]'), { line: 3, column: 12 });
  assert.deepEqual(located.value, { a: 'é', b: [1, true] });
});
