import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ObjectsNotDeployableError } from '../../src/deploy/index.js';
import { fixture } from './fixture.js';

test('a deploy request that changes a view or a trigger is refused with the way to apply them, and nothing is recorded', async () => {
  const f = await fixture({ rows: 5 });
  try {
    await f.conn.query(`CREATE VIEW \`${f.branchDb}\`.user_emails AS SELECT id, email FROM \`${f.branchDb}\`.users`);
    await f.conn.query('CREATE TRIGGER users_touch BEFORE INSERT ON users FOR EACH ROW SET NEW.email = LOWER(NEW.email)');
    await assert.rejects(f.dr.create(f.branch), (err: unknown) => {
      assert.ok(err instanceof ObjectsNotDeployableError);
      assert.match(err.message, /^Views\/triggers\/routines\/events are not deployed by deploy requests yet, and branch feat changes trigger users_touch, view user_emails\. Apply them to main yourself: `schemabranch branch diff feat` prints the statements/);
      return true;
    });
    assert.deepEqual(await f.dr.list(), []);
    assert.deepEqual(await f.tables(), ['notes', 'users']);
  } finally {
    await f.cleanup();
  }
});
