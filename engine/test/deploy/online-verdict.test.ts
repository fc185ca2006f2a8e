import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, USERS, USERS_WITH_NICK, NOTES } from './fixture.js';
import type { RowDataPacket } from 'mysql2/promise';
import { NotDeployableError } from '../../src/deploy/core.js';

test("a user's trigger on a changed table (which the files may not show) no longer blocks the request: the deploy moves it to the new table, where it keeps firing", async () => {
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
    assert.equal(r.lint.deployable, true, r.lint.reasons.join('\n'));
    const done = await f.dr.deploy(r.id);
    assert.equal(done.state, 'complete_pending_revert');
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'nick']);
    const [on] = await f.conn.query<RowDataPacket[]>('SELECT EVENT_OBJECT_TABLE AS t FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = ?', [f.main, 'users_audit']);
    assert.deepEqual(on.map((x) => x.t), ['users'], 'the trigger sits on the live table, not the one set aside');
    const [res] = await f.conn.query('INSERT INTO users (email) VALUES (?)', ['after@example.com']);
    const [audit] = await f.conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM audit WHERE user_id = ?', [(res as { insertId: number }).insertId]);
    assert.equal(Number(audit[0].n), 1, 'a write after the deploy fires the trigger once');
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

test("a request that only adds a trigger writing to its own table is not deployable: an object's findings follow the object, as `schemabranch diff` says", async () => {
  const f = await fixture({ rows: 5, branchSchema: [USERS, NOTES] });
  try {
    await f.conn.query(`CREATE TRIGGER ${'`'}${f.branchDb}${'`'}.users_touch AFTER INSERT ON ${'`'}${f.branchDb}${'`'}.users FOR EACH ROW UPDATE users SET email = LOWER(email) WHERE id = NEW.id`);
    const r = await f.dr.create(f.branch);
    assert.deepEqual(r.changes.map((c) => `${c.kind} ${c.table}`), ['create_object users_touch']);
    assert.equal(r.lint.deployable, false);
    assert.deepEqual(r.lint.reasons.map((x) => x.split(':')[0]), ['trigger-writes-own-table']);
    await assert.rejects(f.dr.deploy(r.id), NotDeployableError);
    const [triggers] = await f.conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?', [f.main]);
    assert.equal(Number(triggers[0].n), 0, 'nothing was created on main');
  } finally {
    await f.cleanup();
  }
});

test('findings about the online copy only (a cascading key) leave the instant path open: deploy says so, deploy --instant deploys and reverts', async () => {
  const LANG = 'CREATE TABLE lang (id int NOT NULL PRIMARY KEY) ENGINE=InnoDB';
  const cascading = (extra: string) =>
    `CREATE TABLE users (id int unsigned NOT NULL AUTO_INCREMENT, email varchar(100) NOT NULL, ${extra}lang_id int DEFAULT NULL, PRIMARY KEY (id), KEY users_lang (lang_id), CONSTRAINT users_lang FOREIGN KEY (lang_id) REFERENCES lang (id) ON UPDATE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
  const f = await fixture({ rows: 0, branchSchema: [LANG, cascading('note varchar(20) DEFAULT NULL, '), NOTES] });
  try {
    await f.conn.query(`DROP TABLE users; ${LANG}; ${cascading('')}; INSERT INTO lang VALUES (1); INSERT INTO users (email, lang_id) VALUES ('a@example.com', 1)`);
    const r = await f.dr.create(f.branch);
    assert.deepEqual(r.changes.map((c) => c.statement), ['ALTER TABLE `users` ADD COLUMN `note` varchar(20) DEFAULT NULL AFTER `email`']);
    assert.equal(r.lint.deployable, false);
    assert.ok(r.lint.reasons.every((x) => x.startsWith('online-migration: ')), r.lint.reasons.join('\n'));
    await assert.rejects(f.dr.deploy(r.id), (err: unknown) => err instanceof NotDeployableError && /about the online copy only: .*deploy-request deploy \d+ --instant/.test(err.message));
    const done = await f.dr.deploy(r.id, { instant: true });
    assert.equal(done.state, 'complete_pending_revert');
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'note', 'lang_id']);
    const reverted = await f.dr.revert(r.id);
    assert.equal(reverted.state, 'complete_revert');
    assert.deepEqual(await f.columns('users'), ['id', 'email', 'lang_id']);
  } finally {
    await f.cleanup();
  }
});
