/** Views, triggers, routines and events through the CLI: branch create counts them, diff prints their statements. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testWorkspace, USERS } from '../../engine/test/branch/workspace.js';
import { cli } from './run-cli.js';

const VIEW = 'CREATE VIEW user_emails AS SELECT id, email FROM users;\n';
const TRIGGER = 'CREATE TRIGGER users_lower BEFORE INSERT ON users FOR EACH ROW\nBEGIN\n  SET NEW.email = LOWER(NEW.email);\nEND;\n';

test('branch create counts views and triggers; diff prints CREATE OR REPLACE VIEW and DROP TRIGGER with their classes', async () => {
  const ws = await testWorkspace({ 'schema/main/users.sql': USERS, 'schema/main/user_emails.sql': VIEW, 'schema/main/users_lower.sql': TRIGGER });
  const dir = ['--dir', ws.root];
  try {
    assert.equal((await cli(['branch', 'push', 'main', ...dir])).code, 0);
    const create = await cli(['branch', 'create', 'feat', ...dir]);
    assert.equal(create.code, 0, create.stderr);
    assert.match(create.stdout, /\(1 table and 2 views, triggers, routines or events\)\./);
    const pull = await cli(['branch', 'pull', 'main', ...dir]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /^Pulled 1 table and 2 views, triggers, routines or events from /, 'objects are not counted as tables');
    ws.write('schema/feat/user_emails.sql', VIEW.replace('id, email', 'id, email, LENGTH(email) AS len'));
    ws.write('schema/feat/users_lower.sql', '');
    const diff = await cli(['diff', 'feat', ...dir]);
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, /-- destructive: Trigger `users_lower` is dropped\.\nDROP TRIGGER `users_lower`;\n-- safe\nCREATE OR REPLACE VIEW `user_emails` AS SELECT id, email, LENGTH\(email\) AS len FROM users;\n$/);
    // The view's text comes from the repository: before the server is shown it in a scratch database, the user is.
    assert.match(diff.stderr, /-- Comparing views, triggers, routines and events as the server prints them: defining them in the scratch database `_sb_probe_[0-9a-f]+` \(after its 1 table\), reading them back, then dropping it\. .*Sent:\nCREATE VIEW `user_emails` AS SELECT id, email, LENGTH\(email\) AS len FROM users;\n/);
    assert.doesNotMatch(diff.stderr, /users_lower/, 'a dropped trigger is not in the branch, so nothing of it is sent');
  } finally {
    await ws.cleanup();
  }
});
