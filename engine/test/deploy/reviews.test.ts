/**
 * Reviews (issue 12): with requireApprovals a request deploys only once
 * someone other than its author approved its current diff; comments and
 * approvals land in the history; an approval of another diff does not count.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { approversOf, diffFingerprint, NotApprovedError } from '../../src/deploy/reviews.js';
import { quoteString } from '../../src/sql/quote.js';
import { fixture } from './fixture.js';

test('requireApprovals: the author cannot approve, a reviewer can, and the deploy waits for it', async () => {
  const f = await fixture({ rows: 200 });
  const user = `rv_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await f.conn.query(`CREATE USER ${quoteString(user)}@'localhost' IDENTIFIED BY ${quoteString(password)}`);
  await f.conn.query(`GRANT ALL ON *.* TO ${quoteString(user)}@'localhost'`);
  try {
    const author = f.another({ requireApprovals: 1 });
    const reviewer = f.another({ requireApprovals: 1, target: { ...f.target, user, password } });
    const r = await author.create(f.branch);
    await assert.rejects(author.deploy(r.id), (err: unknown) => err instanceof NotApprovedError && /needs 1 approval .* it has 0\. Nothing was changed/.test(err.message));
    assert.equal((await author.show(r.id)).state, 'open');
    await assert.rejects(author.review(r.id, { approve: true }), /its author cannot approve it/);
    await reviewer.review(r.id, { comment: 'index name follows the convention', approve: true });
    const reviews = await author.reviews(r.id);
    assert.deepEqual(reviews.map((x) => [x.actor, x.kind, x.body]), [
      [`${user}@localhost`, 'comment', 'index name follows the convention'],
      [`${user}@localhost`, 'approve', null],
    ]);
    const done = await author.deploy(r.id);
    assert.equal(done.state, 'complete_pending_revert');
    const history = (await author.history(r.id)).map((e) => e.message);
    assert.ok(history.includes(`approved by ${user}@localhost`), history.join(' | '));
    assert.ok(history.includes(`comment by ${user}@localhost: index name follows the convention`));
  } finally {
    await f.conn.query(`DROP USER IF EXISTS ${quoteString(user)}@'localhost'`);
    await f.cleanup();
  }
});

test('an approval counts for the diff it saw, once per person, never the author', () => {
  const req = { openedBy: 'ann@%', changes: [{ statement: 'ALTER TABLE `t` ADD COLUMN `a` int' }] } as Parameters<typeof approversOf>[0];
  const seen = diffFingerprint(req.changes);
  const other = diffFingerprint([{ statement: 'ALTER TABLE `t` ADD COLUMN `b` int' }] as typeof req.changes);
  const at = '2026-11-30T00:00:00.000Z';
  assert.deepEqual(
    approversOf(req, [
      { at, actor: 'bob@%', kind: 'approve', body: null, diff: seen },
      { at, actor: 'bob@%', kind: 'approve', body: null, diff: seen },
      { at, actor: 'ann@%', kind: 'approve', body: null, diff: seen },
      { at, actor: 'cy@%', kind: 'approve', body: null, diff: other },
      { at, actor: 'dee@%', kind: 'comment', body: 'ok', diff: seen },
    ]),
    ['bob@%'],
  );
});
