import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkWorkspaceConfig } from '../../src/config/load.js';
import { OutsideWorkspaceError, resolveInWorkspace } from '../../src/config/paths.js';

test('folders resolve inside the workspace: relative or absolute alike; outside, through a link or a dangling link, refused', () => {
  const base = mkdtempSync(join(tmpdir(), 'sb-paths-'));
  const root = join(base, 'ws');
  try {
    mkdirSync(join(root, 'schema'), { recursive: true });
    mkdirSync(join(base, 'elsewhere'));
    assert.equal(resolveInWorkspace(root, 'schema', 'schemaDir'), join(root, 'schema'));
    assert.equal(resolveInWorkspace(root, join(root, 'schema'), 'schemaDir'), join(root, 'schema'), 'an absolute path inside means the same');
    assert.equal(resolveInWorkspace(root, 'not/yet/made', 'schemaDir'), join(root, 'not/yet/made'));
    assert.throws(() => resolveInWorkspace(root, '../elsewhere', 'schemaDir'), (e: Error) => e instanceof OutsideWorkspaceError && /schemaDir "\.\.\/elsewhere" is outside the workspace/.test(e.message));
    assert.throws(() => resolveInWorkspace(root, '/etc', 'schemaDir'), OutsideWorkspaceError);
    symlinkSync(join(base, 'elsewhere'), join(root, 'link'));
    assert.throws(() => resolveInWorkspace(root, 'link/main', 'schemaDir'), /leads \(through a symbolic link\) outside/);
    symlinkSync(join(base, 'gone'), join(root, 'dangling'));
    assert.throws(() => resolveInWorkspace(root, 'dangling/data', 'connection.sandbox.dir'), /leads \(through a symbolic link\) outside/);
    symlinkSync(join(root, 'schema'), join(root, 'inner'));
    assert.equal(resolveInWorkspace(root, 'inner', 'schemaDir'), join(root, 'inner'), 'a link that stays inside is fine');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('schemabranch.json: sandbox.binary and folders outside are problems located at their field', () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-paths-'));
  try {
    const text = '{\n  "schemaDir": "../x",\n  "connection": { "sandbox": { "binary": "tools/db", "dir": "/tmp" } }\n}\n';
    const problems = checkWorkspaceConfig(text, root);
    assert.deepEqual(
      problems.map((p) => [p.path, p.line, p.column]),
      [
        ['connection.sandbox.binary', 3, 32],
        ['schemaDir', 2, 16],
        ['connection.sandbox.dir', 3, 61],
      ],
    );
    assert.match(problems[0].message, /not read from schemabranch\.json.*SCHEMABRANCH_MARIADBD.*schemabranch\.sandbox\.binary/);
    assert.deepEqual(checkWorkspaceConfig(text).map((p) => p.path), ['connection.sandbox.binary'], 'without a root only the binary is judged');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
