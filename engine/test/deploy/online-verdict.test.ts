import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, USERS_WITH_NICK, NOTES } from './fixture.js';
import { NotDeployableError } from '../../src/deploy/core.js';

test("the verdict reads main for what the files cannot show: a user's trigger on a changed table makes the request not deployable, and deploy builds nothing", async () => {
  const f = await fixture({ rows: 50 });
  try {
    const AUDIT = 'CREATE TABLE audit (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id int NOT NULL) ENGINE=InnoDB';
    await f.conn.query(AUDIT);
    await f.conn.query(`CREATE TABLE \`${f.branchDb}\`.${AUDIT.slice('CREATE TABLE '.length)}`);
    const TRIGGER = 'TRIGGER users_audit AFTER INSERT ON users FOR EACH ROW INSERT INTO audit (user_id) VALUES (NEW.id)';
    await f.conn.query(`CREATE ${TRIGGER}`);
    // The branch has the trigger too: triggers are part of the schema, and one only main had would be a change (a drop) of its own.
    await f.conn.query(`CREATE ${TRIGGER.replace('users_audit', `\`${f.branchDb}\`.users_audit`).replace('ON users', `ON \`${f.branchDb}\`.users`)}`);
    const r = await f.dr.create(f.branch);
    assert.equal(r.lint.deployable, false);
    assert.equal(r.lint.reasons.length, 1, r.lint.reasons.join('\n'));
    assert.match(r.lint.reasons[0]!, /^online-migration: Table users has trigger users_audit \(AFTER INSERT\)/);
    // The editor shows findings: the same reason is one, as an error.
    assert.deepEqual(r.lint.findings.filter((x) => x.code === 'online-migration').map((x) => x.severity), ['error']);
    await assert.rejects(f.dr.deploy(r.id), (err: unknown) => err instanceof NotDeployableError && /users_audit/.test(err.message));
    assert.deepEqual(await f.tables(), ['audit', 'notes', 'users']);
  } finally {
    await f.cleanup();
  }
});

test('a table whose primary key is a prefix is not deployable, from lint on the files and from main', async () => {
  const PREFIX = 'CREATE TABLE creds (id varchar(1000) NOT NULL, n int NOT NULL DEFAULT 0, PRIMARY KEY (id(100))) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';
  const f = await fixture({ rows: 5, branchSchema: [USERS_WITH_NICK, NOTES, PREFIX.replace('n int NOT NULL DEFAULT 0', 'n int NOT NULL DEFAULT 0, m int NULL')] });
  try {
    await f.conn.query(PREFIX);
    const r = await f.dr.create(f.branch);
    assert.equal(r.lint.deployable, false);
    const creds = r.lint.reasons.filter((x) => x.includes('creds'));
    assert.equal(creds.length, 2, creds.join('\n'));
    assert.match(creds[0]!, /^no-primary-key: Table `creds` has no key that identifies its rows: the primary key indexes only a prefix of `id`/);
    assert.match(creds[1]!, /^online-migration: Table creds cannot be changed online: the primary key indexes only a prefix of `id`/);
    await assert.rejects(f.dr.deploy(r.id), NotDeployableError);
    assert.deepEqual(await f.tables(), ['creds', 'notes', 'users']);
  } finally {
    await f.cleanup();
  }
});
