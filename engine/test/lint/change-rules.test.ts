import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SchemaChange } from '../../src/diff/change.js';
import { diffSchemas } from '../../src/diff/index.js';
import { isDeployable, lintChanges, lintDeployRequest } from '../../src/lint/index.js';
import { col, idx, refIn, schema, table } from './build.js';

const pk = [idx('PRIMARY', 'primary', ['id'])];
const users = table('users', [col('id', 'bigint', { nullable: false }), col('email', { base: 'varchar', length: 100 }), col('bio', 'text')], { indexes: pk });
const logs = table('logs', [col('id', 'bigint', { nullable: false }), col('line', 'text')], { indexes: pk });

test('destructive-change: a dropped table and a dropped column are errors that name what is lost', () => {
  const after = { ...users, columns: users.columns.filter((c) => c.name !== 'bio') };
  const changes = diffSchemas(schema(users, logs), schema(after));
  const found = lintChanges(changes).filter((v) => v.code === 'destructive-change');
  const byTable = Object.fromEntries(found.map((v) => [v.table, v]));
  assert.equal(found.length, 2);
  assert.equal(byTable.logs.severity, 'error');
  assert.match(byTable.logs.message, /drops table `logs` \(columns id, line\) and every row in it/);
  assert.match(byTable.users.message, /drops column `users`\.`bio` \(text\) and the value it holds in every row/);
  assert.equal(byTable.users.column, 'bio');
  assert.equal(isDeployable(found), false);
});

test('destructive-change points at the table name in the branch file, and nolint there confirms it', () => {
  const nameSource = refIn('users.sql', 'CREATE TABLE users (', 'users');
  const after = { ...users, nameSource, columns: users.columns.filter((c) => c.name !== 'bio') };
  const [v] = lintChanges(diffSchemas(schema(users), schema(after)));
  assert.deepEqual(v.source, nameSource);
  const confirmed = lintChanges(diffSchemas(schema(users), schema({ ...after, nolint: ['destructive-change'] })));
  assert.deepEqual(confirmed, []);
  assert.equal(isDeployable(confirmed), true);
});

test('a dropped table has no file left for nolint: a severity override confirms it', () => {
  const changes = diffSchemas(schema(users, logs), schema(users));
  assert.equal(isDeployable(lintChanges(changes)), false);
  const v = lintChanges(changes, { severity: { 'destructive-change': 'warning' } });
  assert.equal(v[0].severity, 'warning');
  assert.equal(isDeployable(v), true);
});

test('a drop_table change without reasons is still destructive', () => {
  const bare: SchemaChange = { table: 'x', kind: 'drop_table', statement: 'DROP TABLE `x`', class: 'safe', reasons: [] };
  const [v] = lintChanges([bare]);
  assert.equal(v.code, 'destructive-change');
  assert.equal(v.severity, 'error');
});

test('data-dependent-change: a warning per reason, deployable', () => {
  const after = { ...users, indexes: [...pk, idx('email', 'unique', ['email'])] };
  const found = lintChanges(diffSchemas(schema(users), schema(after)));
  assert.deepEqual(found.map((v) => v.code), ['data-dependent-change']);
  assert.equal(found[0].severity, 'warning');
  assert.equal(found[0].index, 'email');
  assert.match(found[0].message, /depends on the rows stored on the target/);
  assert.equal(isDeployable(found), true);
});

test('needs-decision-change: a possible rename is an error on the new column, with how to confirm', () => {
  const renamed = { ...users, columns: users.columns.map((c) => (c.name === 'email' ? { ...c, name: 'mail' } : c)) };
  const mailSource = refIn('users.sql', '  mail varchar(100),', 'mail varchar(100)');
  renamed.columns = renamed.columns.map((c) => (c.name === 'mail' ? { ...c, source: mailSource } : c));
  const found = lintChanges(diffSchemas(schema(users), schema(renamed)));
  const decision = found.find((v) => v.code === 'needs-decision-change');
  assert.ok(decision, JSON.stringify(found));
  assert.equal(decision.severity, 'error');
  assert.equal(decision.column, 'mail');
  assert.deepEqual(decision.source, mailSource);
  assert.match(decision.message, /nolint needs-decision-change, destructive-change/);
  assert.ok(found.some((v) => v.code === 'destructive-change' && v.column === 'email'));
  const confirmed = lintChanges(diffSchemas(schema(users), schema({ ...renamed, nolint: ['needs-decision-change', 'destructive-change'] })));
  assert.equal(isDeployable(confirmed), true);
});

test('safe changes produce nothing; schema rules do not run on changes', () => {
  const after = { ...users, columns: [...users.columns, col('age', 'int')], indexes: [...pk, idx('email', 'index', ['email'])] };
  assert.deepEqual(lintChanges(diffSchemas(schema(users), schema(after))), []);
  const created = table('t', [col('f', 'float')]);
  assert.deepEqual(lintChanges(diffSchemas(schema(), schema(created))), [], 'no-primary-key and float-double are schema rules');
});

test('lintDeployRequest: change rules plus schema rules on the tables the request touches only', () => {
  const legacy = table('legacy', [col('a', 'float')]);
  const after = { ...users, columns: [...users.columns, col('score', 'double')] };
  const found = lintDeployRequest(schema(after, legacy), diffSchemas(schema(users, legacy), schema(after, legacy)));
  assert.deepEqual(found.map((v) => `${v.table}:${v.code}`), ['users:float-double']);
  assert.equal(isDeployable(found), true, 'legacy has no primary key, but this request does not touch it');
  const dropped = lintDeployRequest(schema(users), diffSchemas(schema(users, legacy), schema(users)));
  assert.deepEqual(dropped.map((v) => `${v.table}:${v.code}`), ['legacy:destructive-change']);
});
