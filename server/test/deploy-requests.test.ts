/**
 * The custom requests against a real server (the test sandbox): branch diff
 * from the files, pushing branches, a deploy request from create to revert
 * with its progress, state and revert-window notifications, live figures in
 * hover, and the reasons a database request cannot run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileChangeType, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol';
import { ResponseError } from 'vscode-jsonrpc';
import { parseServerUrl, serverKey, type ServerTarget } from '../../engine/src/db/target.js';
import { DeployRequests } from '../../engine/src/deploy/requests.js';
import { quoteIdent } from '../../engine/src/sql/quote.js';
import { connect, testTarget } from '../../test/support/server.js';
import * as P from '../src/protocol.js';
import { cursor, makeWorkspace, startClient, type TestClient } from './support/lsp.js';

const USERS = 'CREATE TABLE users (\n  id int unsigned NOT NULL AUTO_INCREMENT,\n  email varchar(100) NOT NULL,\n  PRIMARY KEY (id)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n';
const USERS_NICK = USERS.replace('  PRIMARY KEY (id)', "  nick varchar(20) NOT NULL DEFAULT '',\n  PRIMARY KEY (id),\n  KEY idx_nick (nick)");

function urlOf(t: ServerTarget, user = t.user): string {
  return t.socketPath ? `mysql://${user}@localhost?socket=${encodeURIComponent(t.socketPath)}` : `mysql://${user}@${t.host ?? '127.0.0.1'}:${t.port ?? 3306}`;
}

async function reasonOf(p: Promise<unknown>): Promise<P.UnavailableReason | string> {
  try {
    await p;
    return 'succeeded';
  } catch (err) {
    return err instanceof ResponseError && err.data ? (err.data as P.UnavailableReason) : `no reason: ${(err as Error).message}`;
  }
}

let target: ServerTarget;
const database = `lsp_${randomBytes(4).toString('hex')}`;
const ws = makeWorkspace({ 'schema/main/users.sql': USERS, 'schema/feature/users.sql': USERS_NICK });
let c: TestClient;

before(async () => {
  target = await testTarget();
  ws.write('schemabranch.json', JSON.stringify({ database, connection: { url: urlOf(target) }, revertWindowMinutes: 10 }));
  c = await startClient(ws.root);
});
after(async () => {
  await c.close();
  const conn = await connect(target);
  try {
    await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}; DROP DATABASE IF EXISTS ${quoteIdent(`${database}__feature`)}; DROP DATABASE IF EXISTS ${quoteIdent(`${database}__second`)}`);
  } finally {
    await conn.end();
  }
  ws.remove();
});

test('branch diff from the files: the statements, their class, and the lint verdict, without a database', async () => {
  const diff = await c.conn.sendRequest(P.BranchDiffRequest.type, { branch: 'feature' });
  assert.equal(diff.base, 'main');
  assert.equal(diff.changes.length, 1);
  assert.equal(diff.changes[0].kind, 'alter_table');
  assert.equal(diff.changes[0].statement, "ALTER TABLE `users` ADD COLUMN `nick` varchar(20) NOT NULL DEFAULT '', ADD KEY `idx_nick` (`nick`)");
  assert.equal(diff.changes[0].class, 'safe');
  assert.equal(diff.deployable, true);
  assert.deepEqual(diff.unparsedFiles, []);
  const branches = await c.conn.sendRequest(P.ListBranchesRequest.type, {});
  assert.deepEqual(branches.map((b) => [b.name, b.files, b.changesVsMain, b.database]), [['feature', 1, 1, `${database}__feature`], ['main', 1, 0, database]]);
});

test('a deploy request from open to reverted, with progress, state and revert-window notifications, and live figures in hover', async () => {
  const pushedMain = await c.conn.sendRequest(P.PushBranchRequest.type, { name: 'main' });
  // Every statement sent, CREATE DATABASE first.
  assert.deepEqual(pushedMain.applied.map((st) => st.split(' ').slice(0, 2).join(' ')), ['CREATE DATABASE', 'CREATE TABLE']);
  await c.conn.sendRequest(P.PushBranchRequest.type, { name: 'feature' });
  const conn = await connect(target, database);
  try {
    await conn.query("INSERT INTO users (email) WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 500) SELECT CONCAT('u', n, '@example.com') FROM seq");
    await conn.query('ANALYZE TABLE users');
  } finally {
    await conn.end();
  }

  const created = await c.conn.sendRequest(P.CreateDeployRequest.type, { branch: 'feature' });
  assert.equal(created.state, 'open');
  assert.equal(created.deployable, true);
  assert.equal(created.changes[0].table, 'users');
  const listed = await c.conn.sendRequest(P.ListDeployRequests.type, {});
  assert.ok(listed.some((r) => r.number === created.number && r.branch === 'feature'));

  const inWindow = c.notification<P.DeployStateChangedParams>(P.DeployStateChangedNotification.type, (p) => p.number === created.number && p.state === 'complete_pending_revert');
  const window = c.notification<P.RevertWindowParams>(P.RevertWindowNotification.type, (p) => p.number === created.number && p.deadline !== null);
  const accepted = await c.conn.sendRequest(P.DeployDeployRequest.type, { number: created.number });
  assert.ok(['queued', 'in_progress', 'complete_pending_revert'].includes(accepted.state), accepted.state);
  await inWindow;
  assert.equal(readFileSync(join(ws.root, 'schema/main/users.sql'), 'utf8'), USERS_NICK, "main's file is the deployed branch's file by the time the state is announced");
  const w = await window;
  assert.deepEqual(w.tables, ['users']);
  const minutes = (Date.parse(w.deadline ?? '') - Date.now()) / 60_000;
  assert.ok(minutes > 9 && minutes <= 10, `deadline ${w.deadline} is not ~10 minutes away`);
  const progress = c.notifications.filter((n) => n.method === P.DeployProgressNotification.method).map((n) => n.params as P.DeployProgressParams);
  assert.ok(progress.some((p) => p.number === created.number && p.table === 'users' && p.rowsTotal > 0), JSON.stringify(progress));
  const shown = await c.conn.sendRequest(P.ShowDeployRequest.type, { number: created.number });
  assert.equal(shown.revertDeadline, w.deadline);

  // Hover on main's table now shows live figures from the database.
  const { text, position } = cursor(USERS.replace('CREATE TABLE users', 'CREATE TABLE us|ers'));
  await c.change(ws.uri('schema/main/users.sql'), text);
  const h = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: ws.uri('schema/main/users.sql') }, position });
  assert.match((h?.contents as MarkupContent).value, /Live \(main\)\*\*: ~\d+ rows/);
  // The hover buffer held main's file as it was; closed, main is the files on disk that the deploy wrote.
  await c.closeDocument(ws.uri('schema/main/users.sql'));

  const closed = c.notification<P.RevertWindowParams>(P.RevertWindowNotification.type, (p) => p.number === created.number && p.deadline === null);
  const reverted = await c.conn.sendRequest(P.RevertDeployRequest.type, { number: created.number });
  assert.equal(reverted.state, 'complete_revert');
  await closed;
  await c.notification<P.DeployStateChangedParams>(P.DeployStateChangedNotification.type, (p) => p.number === created.number && p.state === 'complete_revert');
  assert.equal(readFileSync(join(ws.root, 'schema/main/users.sql'), 'utf8'), USERS, "main's file is back as it was after the revert");
  // A watcher may report the rewritten file as created then deleted: the model ends on the disk, main keeps users.
  const mainUsers = ws.uri('schema/main/users.sql');
  await c.filesChanged([{ uri: mainUsers, type: FileChangeType.Created }, { uri: mainUsers, type: FileChangeType.Deleted }]);
  const diff = await c.conn.sendRequest(P.BranchDiffRequest.type, { branch: 'feature' });
  assert.deepEqual(diff.changes.map((ch) => `${ch.kind} ${ch.table}`), ['alter_table users'], 'after the revert the branch again adds its column to main\'s users');
  assert.deepEqual((c.diagnostics.get(mainUsers) ?? []).filter((d) => d.severity === 1), [], 'and no error appeared on it');
  const again = await reasonOf(c.conn.sendRequest(P.RevertDeployRequest.type, { number: created.number }));
  assert.ok(typeof again === 'string' && /complete_revert/.test(again), String(again));
});

test('close and cancel an open request; a gated deploy waits for apply, and skip-revert closes the window', async () => {
  const a = await c.conn.sendRequest(P.CreateDeployRequest.type, { branch: 'feature' });
  assert.equal((await c.conn.sendRequest(P.CloseDeployRequest.type, { number: a.number })).state, 'closed');
  const b = await c.conn.sendRequest(P.CreateDeployRequest.type, { branch: 'feature' });
  assert.equal((await c.conn.sendRequest(P.CancelDeployRequest.type, { number: b.number })).state, 'cancelled');

  const g = await c.conn.sendRequest(P.CreateDeployRequest.type, { branch: 'feature' });
  await c.conn.sendRequest(P.ReviewDeployRequest.type, { number: g.number, comment: 'ship it </script>' });
  const waiting = c.notification<P.DeployStateChangedParams>(P.DeployStateChangedNotification.type, (p) => p.number === g.number && p.state === 'pending_cutover');
  await c.conn.sendRequest(P.DeployDeployRequest.type, { number: g.number, gated: true });
  await waiting;
  const verified = await c.conn.sendRequest(P.VerifyDeployRequest.type, { number: g.number });
  assert.equal(verified.ok, true);
  assert.deepEqual(verified.tables.map((t) => [t.table, t.differences.length]), [['users', 0]]);
  const applied = await c.conn.sendRequest(P.ApplyDeployRequest.type, { number: g.number });
  assert.equal(applied.state, 'complete_pending_revert');
  assert.ok(applied.revertDeadline);
  const closed = c.notification<P.RevertWindowParams>(P.RevertWindowNotification.type, (p) => p.number === g.number && p.deadline === null);
  const done = await c.conn.sendRequest(P.SkipRevertDeployRequest.type, { number: g.number });
  assert.equal(done.state, 'complete');
  await closed;
  const states = c.notifications
    .filter((n) => n.method === P.DeployStateChangedNotification.method && (n.params as P.DeployStateChangedParams).number === g.number)
    .map((n) => (n.params as P.DeployStateChangedParams).state);
  assert.deepEqual(states.filter((s, i) => states.indexOf(s) === i), ['open', 'in_progress', 'pending_cutover', 'complete_pending_revert', 'complete']);

  // The page's one answer: the request, its statements cut into tokens, its history and its reviews.
  const page = await c.conn.sendRequest(P.DeployRequestPageRequest.type, { number: g.number });
  assert.equal(page.state, 'complete');
  assert.equal(page.targetDatabase, database);
  assert.match(page.openedBy, /@/);
  assert.ok(page.startedAt && page.cutOverAt && page.finishedAt, JSON.stringify(page));
  const statement = page.changes[0]?.statement ?? '';
  assert.deepEqual(
    (page.changes[0]?.spans ?? []).slice(0, 3).map((t) => [statement.slice(t.start, t.end), t.kind]),
    [['ALTER', 'keyword'], ['TABLE', 'keyword'], ['`users`', 'identifier']],
  );
  const moves = page.history.filter((e) => e.from !== e.to).map((e) => e.to);
  assert.deepEqual(moves.filter((s, i) => moves.indexOf(s) === i), ['open', 'in_progress', 'pending_cutover', 'complete_pending_revert', 'complete']);
  assert.ok(page.history.every((e) => e.actor === page.openedBy), JSON.stringify(page.history));
  assert.ok(page.history.some((e) => e.message.includes('ship it </script>')), 'the comment is in the history');
  assert.deepEqual(page.reviews.map((r) => [r.kind, r.actor, r.body, r.current]), [['comment', page.openedBy, 'ship it </script>', true]]);
  assert.deepEqual([page.approvers, page.requiredApprovals], [[], 0]);
  assert.ok(page.progress.some((t) => t.table === 'users' && t.percent === 100 && t.rowsTotal > 0), JSON.stringify(page.progress));
});

test('a deploy request opened and closed by another process (the CLI) is announced to the editor', async () => {
  const branchDb = await connect(target, `${database}__feature`);
  try {
    // main has caught up with the branch by now: give the branch something new to deploy.
    await branchDb.query('ALTER TABLE users ADD COLUMN extra int DEFAULT NULL');
  } finally {
    await branchDb.end();
  }
  const cli = new DeployRequests({ target, mainDatabase: database, branchDatabase: (b) => `${database}__${b}` });
  try {
    const r = await cli.create('feature');
    const opened = await c.notification<P.DeployStateChangedParams>(P.DeployStateChangedNotification.type, (p) => p.number === r.id);
    assert.deepEqual([opened.state, opened.message], ['open', 'changed by another process']);
    const branches = await c.conn.sendRequest(P.ListBranchesRequest.type, {});
    assert.equal(branches.find((b) => b.name === 'feature')?.deployRequest, r.id);
    const closed = c.notification<P.DeployStateChangedParams>(P.DeployStateChangedNotification.type, (p) => p.number === r.id && p.state === 'closed');
    await cli.close(r.id);
    assert.equal((await closed).previous, 'open');
  } finally {
    await cli.dispose();
  }
});

test('requests that need the database say why they cannot run: bad config, nothing listening, no password', async () => {
  const broken = makeWorkspace({ 'schemabranch.json': '{ "database": 5 }', 'schema/main/users.sql': USERS });
  const c1 = await startClient(broken.root);
  try {
    const r = await reasonOf(c1.conn.sendRequest(P.ListDeployRequests.type, {}));
    assert.equal(typeof r === 'object' && r.reason, 'no-config');
    // The branch diff needs no database and still works.
    assert.equal((await c1.conn.sendRequest(P.BranchDiffRequest.type, { branch: 'main' })).changes.length, 0);
  } finally {
    await c1.close();
    broken.remove();
  }

  const nobody = makeWorkspace({ 'schemabranch.json': JSON.stringify({ connection: { url: 'mysql://root@127.0.0.1:1' } }), 'schema/main/users.sql': USERS });
  const c2 = await startClient(nobody.root);
  try {
    const r = await reasonOf(c2.conn.sendRequest(P.ListDeployRequests.type, {}));
    assert.equal(typeof r === 'object' && r.reason, 'server-unreachable', JSON.stringify(r));
    assert.match(typeof r === 'object' ? r.message : '', /Nothing answers at root@127\.0\.0\.1:1/);
  } finally {
    await c2.close();
    nobody.remove();
  }

  // A user with a password: refused without it, accepted with the password saved for this very server.
  const user = `lsp_${randomBytes(3).toString('hex')}`;
  const admin = await connect(target);
  await admin.query(`CREATE USER ${quoteIdent(user)}@'%' IDENTIFIED BY 's3cret-pw'; CREATE USER ${quoteIdent(user)}@'localhost' IDENTIFIED BY 's3cret-pw'; GRANT ALL ON *.* TO ${quoteIdent(user)}@'%'; GRANT ALL ON *.* TO ${quoteIdent(user)}@'localhost'`);
  const url = urlOf(target, user);
  const secured = makeWorkspace({ 'schemabranch.json': JSON.stringify({ database, connection: { url } }), 'schema/main/users.sql': USERS });
  const c3 = await startClient(secured.root);
  try {
    const r = await reasonOf(c3.conn.sendRequest(P.ListDeployRequests.type, {}));
    assert.equal(typeof r === 'object' && r.reason, 'no-password', JSON.stringify(r));
    const key = serverKey(parseServerUrl(url));
    assert.deepEqual(await c3.conn.sendRequest(P.ConnectionTargetRequest.type, {}), { source: 'workspace', key });
    const saved = await startClient(secured.root, { env: { [P.SAVED_PASSWORDS_ENV]: JSON.stringify({ [key]: 's3cret-pw' }) } });
    // SCHEMABRANCH_PASSWORD goes only to the URL the user gave alongside it, not to the workspace's.
    const envOnly = await startClient(secured.root, { env: { SCHEMABRANCH_PASSWORD: 's3cret-pw' } });
    const envWithUrl = await startClient(secured.root, { env: { SCHEMABRANCH_PASSWORD: 's3cret-pw', SCHEMABRANCH_URL: url } });
    try {
      assert.ok(Array.isArray(await saved.conn.sendRequest(P.ListDeployRequests.type, {})), 'password saved for this server');
      const refused = await reasonOf(envOnly.conn.sendRequest(P.ListDeployRequests.type, {}));
      assert.equal(typeof refused === 'object' && refused.reason, 'no-password', JSON.stringify(refused));
      assert.match(typeof refused === 'object' ? refused.message : '', /only sent to a server you name yourself/);
      assert.ok(Array.isArray(await envWithUrl.conn.sendRequest(P.ListDeployRequests.type, {})), 'SCHEMABRANCH_PASSWORD with SCHEMABRANCH_URL');
      assert.ok(!JSON.stringify(saved.notifications).includes('s3cret-pw'), 'the password reached a log');
    } finally {
      await saved.close();
      await envOnly.close();
      await envWithUrl.close();
    }
  } finally {
    await c3.close();
    secured.remove();
    await admin.query(`DROP USER ${quoteIdent(user)}@'%'; DROP USER ${quoteIdent(user)}@'localhost'`);
    await admin.end();
  }
});

test('branches: create copies main and makes its database, pull writes the database schema into the files, delete removes both', async () => {
  const created = await c.conn.sendRequest(P.CreateBranchRequest.type, { name: 'second' });
  assert.deepEqual([created.name, created.folder, created.database, created.files], ['second', 'schema/second', `${database}__second`, 1]);
  const names = (await c.conn.sendRequest(P.ListBranchesRequest.type, {})).map((b) => b.name);
  assert.deepEqual(names, ['feature', 'main', 'second']);
  const conn = await connect(target, `${database}__second`);
  try {
    await conn.query('ALTER TABLE users ADD COLUMN age int DEFAULT NULL');
  } finally {
    await conn.end();
  }
  const pulled = await c.conn.sendRequest(P.PullBranchRequest.type, { name: 'second' });
  assert.deepEqual(pulled.applied, ['schema/second/users.sql']);
  const diff = await c.conn.sendRequest(P.BranchDiffRequest.type, { branch: 'second' });
  assert.deepEqual(diff.changes.map((x) => x.statement), ['ALTER TABLE `users` ADD COLUMN `age` int(11) DEFAULT NULL']);
  assert.deepEqual(await c.conn.sendRequest(P.DeleteBranchRequest.type, { name: 'second' }), { deleted: 'second' });
  assert.deepEqual((await c.conn.sendRequest(P.ListBranchesRequest.type, {})).map((b) => b.name), ['feature', 'main']);
  const missing = await reasonOf(c.conn.sendRequest(P.BranchDiffRequest.type, { branch: 'second' }));
  assert.equal(typeof missing === 'object' && missing.reason, 'branch-missing');
  const refused = await reasonOf(c.conn.sendRequest(P.CreateBranchRequest.type, { name: 'Bad Name' }));
  assert.match(String(refused), /not a valid branch name/);
});

test('sandbox requests: status of the workspace sandbox; start is refused while a URL is configured', async () => {
  const st = await c.conn.sendRequest(P.SandboxStatusRequest.type, {});
  assert.equal(st.running, false);
  const r = await reasonOf(c.conn.sendRequest(P.SandboxStartRequest.type, {}));
  assert.equal(typeof r === 'object' && r.reason, 'not-supported');
});

test('the status reports the database once a request reached it', () => {
  const last = c.notifications.filter((n) => n.method === P.ServerStatusNotification.method).pop()?.params as P.ServerStatusParams | undefined;
  assert.equal(last?.database, true);
  assert.equal(last?.health, 'ok');
  assert.match(last?.message ?? '', /database root@/);
});
