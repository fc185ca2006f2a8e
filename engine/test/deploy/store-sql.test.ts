import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStatements, insertRequestSql, selectRequestsSql, updateRequestSql, upgradeStatements } from '../../src/deploy/store-sql.js';
import { deployLockName } from '../../src/deploy/lock.js';

test('the store is created idempotently in _schemabranch', () => {
  const [db, requests, events] = createStatements();
  assert.equal(db, 'CREATE DATABASE IF NOT EXISTS `_schemabranch` DEFAULT CHARACTER SET utf8mb4');
  assert.match(requests, /^CREATE TABLE IF NOT EXISTS `_schemabranch`\.`deploy_requests` \(\n  `id` bigint unsigned NOT NULL AUTO_INCREMENT,\n/);
  assert.match(requests, /  PRIMARY KEY \(`id`\),\n  KEY `by_target_state` \(`target_database`, `state`\)\n\) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4$/);
  assert.match(events, /^CREATE TABLE IF NOT EXISTS `_schemabranch`\.`deploy_request_events` /);
});

test('an old store gets exactly the columns it lacks', () => {
  assert.deepEqual(upgradeStatements('deploy_request_events', ['id', 'request_id', 'at', 'from_state', 'to_state', 'message']), [
    'ALTER TABLE `_schemabranch`.`deploy_request_events` ADD COLUMN `actor` varchar(300) NOT NULL',
  ]);
  assert.deepEqual(upgradeStatements('deploy_request_events', ['ID', 'request_id', 'at', 'from_state', 'to_state', 'message', 'actor']), []);
});

test('a store made before pause and instant deploys existed gets the paused flag (off) and the instant undo, tuning and object undo columns (empty)', () => {
  const before = ['id', 'target_database', 'branch', 'branch_database', 'state', 'changes', 'deployable', 'lint', 'main_fingerprints', 'gated', 'migration_id', 'opened_by', 'owner', 'cancel_requested', 'progress', 'error_message', 'error_retry_safe', 'error_during', 'error_next', 'revert_window_seconds', 'created_at', 'updated_at', 'started_at', 'cut_over_at', 'window_deadline', 'finished_at'];
  assert.deepEqual(upgradeStatements('deploy_requests', before), [
    'ALTER TABLE `_schemabranch`.`deploy_requests` ADD COLUMN `paused` tinyint(1) NOT NULL DEFAULT 0',
    'ALTER TABLE `_schemabranch`.`deploy_requests` ADD COLUMN `instant_undo` longtext NULL',
    'ALTER TABLE `_schemabranch`.`deploy_requests` ADD COLUMN `tuning` longtext NULL',
    'ALTER TABLE `_schemabranch`.`deploy_requests` ADD COLUMN `object_undo` longtext NULL',
  ]);
  assert.deepEqual(upgradeStatements('deploy_requests', [...before, 'paused', 'instant_undo', 'tuning', 'object_undo']), []);
});

test('updates bump updated_at and take times from the server clock', () => {
  assert.deepEqual(updateRequestSql(7, { state: 'complete_pending_revert', cut_over_at: { now: true }, window_deadline: { nowPlusSeconds: 1800 }, gated: true }), {
    sql: 'UPDATE `_schemabranch`.`deploy_requests` SET `state` = ?, `cut_over_at` = UTC_TIMESTAMP(3), `window_deadline` = UTC_TIMESTAMP(3) + INTERVAL ? SECOND, `gated` = ?, `updated_at` = UTC_TIMESTAMP(3) WHERE `id` = ?',
    params: ['complete_pending_revert', 1800, 1, 7],
  });
});

test('inserts stamp created_at and updated_at', () => {
  assert.deepEqual(insertRequestSql({ branch: 'x', state: 'open' }), {
    sql: 'INSERT INTO `_schemabranch`.`deploy_requests` (`branch`, `state`, `created_at`, `updated_at`) VALUES (?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))',
    params: ['x', 'open'],
  });
});

test('selects filter by id, target and states', () => {
  assert.deepEqual(selectRequestsSql({ targetDatabase: 'shop', states: ['open', 'queued'] }), {
    sql: 'SELECT * FROM `_schemabranch`.`deploy_requests` WHERE `target_database` = ? AND `state` IN (?, ?) ORDER BY `id`',
    params: ['shop', 'open', 'queued'],
  });
  assert.equal(selectRequestsSql({ id: 3 }, true).sql, 'SELECT * FROM `_schemabranch`.`deploy_requests` WHERE `id` = ? ORDER BY `id` FOR UPDATE');
});

test('lock names fit in 64 characters', () => {
  assert.equal(deployLockName('shop'), 'schemabranch:deploy:shop');
  const long = deployLockName('d'.repeat(64));
  assert.ok(long.length <= 64);
  assert.notEqual(long, deployLockName('e'.repeat(64)));
});
