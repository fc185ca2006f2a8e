import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deleteBranchConfirmation, deployConfirmation, deployMethodItems, lossLines, pushConfirmation, revertConfirmation } from '../src/confirmText.js';
import type { SchemaChangeInfo } from '../src/protocol.js';

const safe: SchemaChangeInfo = { table: 'users', kind: 'alter_table', statement: 'ALTER TABLE `users` ADD COLUMN `nick` varchar(40)', class: 'safe', reasons: [] };
const dropColumn: SchemaChangeInfo = {
  table: 'users',
  kind: 'alter_table',
  statement: 'ALTER TABLE `users` DROP COLUMN `legacy`',
  class: 'destructive',
  reasons: [{ class: 'destructive', code: 'drop-column', message: 'drops column legacy and its data', column: 'legacy' }],
};
const narrow: SchemaChangeInfo = {
  table: 'orders',
  kind: 'alter_table',
  statement: 'ALTER TABLE `orders` MODIFY `note` varchar(10)',
  class: 'data-dependent',
  reasons: [{ class: 'data-dependent', code: 'narrow-column', message: 'shortens note to 10 characters' }],
};
const dropTable: SchemaChangeInfo = { table: 'audit', kind: 'drop_table', statement: 'DROP TABLE `audit`', class: 'destructive', reasons: [] };

test('a safe diff deploys without a question', () => {
  assert.deepEqual(lossLines([safe]), []);
  assert.equal(deployConfirmation(3, 'main', [safe]), undefined);
});

test('the confirmation names every loss from the classification', () => {
  assert.deepEqual(lossLines([safe, dropColumn, narrow, dropTable]), [
    'users: drops column legacy and its data',
    'orders: shortens note to 10 characters (data-dependent)',
    'table audit and all its rows are dropped',
  ]);
  const c = deployConfirmation(3, 'main', [dropColumn]);
  assert.ok(c);
  assert.equal(c.action, 'Deploy');
  assert.match(c.message, /#3 changes main/);
  assert.match(c.detail, /• users: drops column legacy and its data/);
});

test('deleting a branch names its folder, database and open request', () => {
  const c = deleteBranchConfirmation('feature-x', 'schema/feature-x', 'shop__feature-x', 4);
  assert.match(c.detail, /schema\/feature-x/);
  assert.match(c.detail, /database shop__feature-x/);
  assert.match(c.detail, /#4/);
  assert.doesNotMatch(deleteBranchConfirmation('b', 'schema/b', undefined, undefined).detail, /database|#/);
});

test('revert says rows are kept and which tables swap back', () => {
  assert.match(revertConfirmation(3, ['users']).detail, /users.*Rows written since the deploy are kept/s);
});

test('instant deploys are offered after the online copy, and say when they cannot be reverted', () => {
  assert.deepEqual(deployMethodItems(3, { instant: false, revertible: false, why: 'the server cannot change users instantly' }), []);
  const revertible = deployMethodItems(3, { instant: true, revertible: true, why: 'instant and revertible' });
  assert.deepEqual(revertible.map((i) => [i.label, i.instant]), [['Online copy of #3', false], ['Instant deploy of #3', true]]);
  const index = deployMethodItems(5, { instant: true, method: 'in-server', revertible: true, why: 'in the server, online' });
  assert.equal(index[1]!.label, 'In-server online ALTER of #5');
  assert.match(index[1]!.detail, /replicas lag while it runs/);
  const oneWay = deployMethodItems(4, { instant: true, revertible: false, why: 'instant, not revertible: users: the server cannot undo it instantly' });
  assert.equal(oneWay[1]!.label, 'Instant deploy of #4 (not revertible)');
  assert.match(oneWay[1]!.detail, /cannot undo it instantly/);
  // The online copy refused (a cascading key, say): only the server's own path is offered.
  const only = deployMethodItems(6, { instant: true, revertible: true, why: 'instant and revertible' }, { copyRefused: true });
  assert.deepEqual(only.map((i) => [i.label, i.instant]), [['Instant deploy of #6', true]]);
});

test('a push asks after its statements are shown: how many, that exactly those run, and for main what it skips', () => {
  const main = pushConfirmation('main', 'shop', 12);
  assert.equal(main.action, 'Push main');
  assert.match(main.message, /^Push main straight to its database \(12 statements\)\?$/);
  assert.match(main.detail, /runs the 12 statements shown in the editor, exactly, to make shop match the files of main, without a deploy request/);
  const branch = pushConfirmation('feat', 'shop__feat', 1);
  assert.equal(branch.action, 'Push feat');
  assert.match(branch.detail, /runs the 1 statement shown in the editor, exactly, on shop__feat\. If the files or the database change before you confirm, nothing runs\./);
});
