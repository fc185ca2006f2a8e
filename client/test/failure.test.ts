import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFailure, whyCannotRun } from '../src/failure.js';
import { branchNameProblem, diffDocumentText, locateSchemaFile, databaseNameFor } from '../src/schemaPaths.js';

test('a command that cannot run yet says why and what to do', () => {
  assert.equal(whyCannotRun('Deploy', { kind: 'running' }), undefined);
  assert.match(whyCannotRun('Deploy', { kind: 'starting' }) ?? '', /^Deploy can run once .* try again/);
  assert.match(whyCannotRun('Deploy', { kind: 'stopped', reason: 'dist/server.js is missing.' }) ?? '', /dist\/server.js is missing\. Run "Schema Branch: Restart Language Server"/);
  assert.match(whyCannotRun('Deploy', { kind: 'no-workspace' }) ?? '', /open the folder/);
});

test("the server's UnavailableReason becomes the message and the fix", () => {
  const err = Object.assign(new Error('x'), { data: { reason: 'no-password', message: 'Run Set Password or set SCHEMABRANCH_PASSWORD.', retrySafe: false } });
  assert.deepEqual(describeFailure('Deploy', err), { message: 'Deploy: Run Set Password or set SCHEMABRANCH_PASSWORD.', reason: 'no-password' });
  assert.deepEqual(describeFailure('Deploy', new Error('boom')), { message: 'Deploy failed: boom' });
});

test('schema paths: branch and table of a file', () => {
  assert.deepEqual(locateSchemaFile('/w', 'schema', '/w/schema/feature-x/users.sql'), { branch: 'feature-x', table: 'users' });
  assert.equal(locateSchemaFile('/w', 'schema', '/w/other/users.sql'), undefined);
  assert.equal(locateSchemaFile('/w', 'schema', '/w/schema/a/b/users.sql'), undefined);
});

test('branch names and database names', () => {
  assert.equal(branchNameProblem('feature-x'), undefined);
  assert.match(branchNameProblem('main') ?? '', /already exists/);
  assert.match(branchNameProblem('Feature X') ?? '', /lowercase/);
  assert.equal(databaseNameFor('my shop!'), 'my_shop_');
});

test('the diff document lists statements with their classification', () => {
  const text = diffDocumentText({
    branch: 'feature-x',
    base: 'main',
    deployable: false,
    unparsedFiles: [],
    lint: [{ code: 'destructive-change', severity: 'error', message: 'drops column legacy' }],
    changes: [{ table: 'users', kind: 'alter_table', statement: 'ALTER TABLE `users` DROP COLUMN `legacy`', class: 'destructive', reasons: [{ class: 'destructive', code: 'drop-column', message: 'drops column legacy' }] }],
  });
  assert.equal(
    text,
    [
      '-- Schema Branch: feature-x vs main',
      '-- 1 statement; NOT deployable (see lint below)',
      '-- lint error destructive-change: drops column legacy',
      '',
      '-- users: destructive',
      '--   destructive: drops column legacy',
      'ALTER TABLE `users` DROP COLUMN `legacy`;',
      '',
    ].join('\n'),
  );
});
