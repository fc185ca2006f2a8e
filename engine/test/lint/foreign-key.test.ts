import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSchema } from '../../src/lint/index.js';
import { col, fk, idx, located, schema, table } from './build.js';

const sql = [
  'CREATE TABLE orders (',
  '  id bigint unsigned NOT NULL AUTO_INCREMENT,',
  '  user_id bigint unsigned NOT NULL,',
  '  PRIMARY KEY (id),',
  '  CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id)',
  ');',
].join('\n');

const orders = located(
  table('orders', [col('id', 'bigint', { nullable: false }), col('user_id', 'bigint', { nullable: false })], {
    indexes: [idx('PRIMARY', 'primary', ['id'])],
    foreignKeys: [fk('orders_user', ['user_id'], 'users', ['id'])],
  }),
  'orders.sql',
  sql,
);

const on = { severity: { 'foreign-key': 'warning' as const } };

test('off by default: the online migration moves foreign keys itself', () => {
  assert.equal(lintSchema(schema(orders)).filter((v) => v.code === 'foreign-key').length, 0);
});

test('turned on, each foreign key is a warning at the constraint, naming both sides and the way out', () => {
  const found = lintSchema(schema(orders), on).filter((v) => v.code === 'foreign-key');
  assert.equal(found.length, 1);
  const [v] = found;
  assert.equal(v.severity, 'warning');
  assert.equal(v.column, 'user_id');
  assert.deepEqual(v.source, orders.foreignKeys[0].source);
  assert.equal(v.source!.range.start.line, 4);
  assert.match(v.message, /`orders_user` \(user_id\) references `users` \(id\)/);
  assert.match(v.message, /enforcing the relation in the application/);
  assert.equal(v.suggestion, 'KEY orders_user (user_id)');
});

test('no foreign key, no finding; severity override and nolint apply', () => {
  const plain = { ...orders, foreignKeys: [] };
  assert.equal(lintSchema(schema(plain), on).filter((v) => v.code === 'foreign-key').length, 0);
  assert.equal(lintSchema(schema(orders), { severity: { 'foreign-key': 'error' } }).find((v) => v.code === 'foreign-key')?.severity, 'error');
  assert.equal(lintSchema(schema({ ...orders, nolint: ['foreign-key'] }), on).filter((v) => v.code === 'foreign-key').length, 0);
});

test('an unnamed foreign key is named as the server will name it, never as ``', () => {
  const dept = table('dept_emp', [col('emp_no', 'int', { nullable: false }), col('dept_no', 'char', { nullable: false })], {
    indexes: [idx('PRIMARY', 'primary', ['emp_no', 'dept_no'])],
    foreignKeys: [fk('', ['emp_no'], 'employees', ['emp_no']), fk('', ['dept_no'], 'departments', ['dept_no'])],
  });
  const found = lintSchema(schema(dept), on).filter((v) => v.code === 'foreign-key');
  assert.deepEqual(found.map((v) => v.suggestion), ['KEY dept_emp_ibfk_1 (emp_no)', 'KEY dept_emp_ibfk_2 (dept_no)']);
  assert.match(found[0].message, /^The unnamed foreign key \(emp_no\), which the server names `dept_emp_ibfk_1`, references `employees` \(emp_no\)/);
  assert.ok(found.every((v) => !v.message.includes('``')));
});
