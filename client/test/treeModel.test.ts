import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Commands, type BranchInfo, type DeployRequestInfo, type DeployRequestState } from '../src/protocol.js';
import { ACTIONS_BY_STATE, branchView, deployRequestView, inFolder, lintView, plural, relativeTime, stateLabel, stateShort, treeTop } from '../src/treeModel.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const dr = (state: DeployRequestState, over: Partial<DeployRequestInfo> = {}): DeployRequestInfo => ({
  number: 3,
  branch: 'feature-x',
  into: 'main',
  state,
  deployable: true,
  createdAt: '2026-01-01T11:50:00Z',
  updatedAt: '2026-01-01T11:55:00Z',
  ...over,
});

test('a deploy request row: number and branch as the label, a short state as the description, the rest in the tooltip', () => {
  const v = deployRequestView(dr('complete_pending_revert'), now);
  assert.equal(v.label, '#3 feature-x');
  assert.equal(v.description, 'can revert');
  assert.equal(v.tooltip, '#3: feature-x into main\nState: deployed, revert window open\nUpdated 5m ago');
  assert.equal(v.icon, 'history');
  assert.equal(v.contextValue, 'deployRequest-complete_pending_revert');
  assert.equal(deployRequestView(dr('complete_revert'), now).description, 'reverted');
  assert.equal(deployRequestView(dr('in_progress'), now).description, 'deploying');
  assert.equal(deployRequestView(dr('open', { deployable: false }), now).description, 'not deployable');
  assert.match(deployRequestView(dr('open', { deployable: false }), now).tooltip ?? '', /\nLint: not deployable\n/);
  assert.match(deployRequestView(dr('error_retryable', { error: { message: 'lock wait timeout', retrySafe: true } }), now).tooltip ?? '', /lock wait timeout \(retry is safe\)/);
});

test('short states fit after a branch name next to two inline buttons: at most 18 characters each', () => {
  const states: DeployRequestState[] = ['open', 'queued', 'in_progress', 'pending_cutover', 'complete_pending_revert', 'complete', 'in_progress_revert', 'complete_revert', 'cancelled', 'closed', 'error_retryable', 'error_needs_attention'];
  for (const s of states) assert.ok(stateShort(s).length <= 18, `${s}: ${stateShort(s)}`);
  assert.equal(stateShort('error_retryable'), 'failed, retry safe');
  assert.equal(stateShort('complete'), 'deployed');
});

test('counts are plural only when they are not one', () => {
  assert.equal(plural(1, 'table'), '1 table');
  assert.equal(plural(0, 'table'), '0 tables');
  assert.equal(plural(7, 'table file'), '7 table files');
});

test('every state has words and an icon', () => {
  const states: DeployRequestState[] = ['open', 'queued', 'in_progress', 'pending_cutover', 'complete_pending_revert', 'complete', 'in_progress_revert', 'complete_revert', 'cancelled', 'closed', 'error_retryable', 'error_needs_attention'];
  for (const s of states) {
    assert.ok(stateLabel(s).length > 0);
    assert.notEqual(deployRequestView(dr(s), now).icon, 'question', s);
  }
});

test('relative times', () => {
  assert.equal(relativeTime('2026-01-01T11:59:50Z', now), 'just now');
  assert.equal(relativeTime('2026-01-01T09:00:00Z', now), '3h ago');
  assert.equal(relativeTime('2025-12-29T12:00:00Z', now), '3d ago');
});

test('branch rows show the change count vs main; main shows its tables', () => {
  assert.equal(branchView({ name: 'feature-x', folder: 'schema/feature-x', files: 3, changesVsMain: 2 }).description, '2 changes vs main');
  assert.equal(branchView({ name: 'f', folder: 'schema/f', files: 3, changesVsMain: 1, deployRequest: 7 }).description, '1 change vs main · #7');
  const main = branchView({ name: 'main', folder: 'schema/main', files: 3, changesVsMain: 0 });
  assert.equal(main.description, '3 tables');
  const one = branchView({ name: 'main', folder: 'schema/main', files: 1, changesVsMain: 0 });
  assert.equal(one.description, '1 table');
  assert.match(one.tooltip ?? '', /\n1 table file$/);
  assert.equal(main.contextValue, 'branch-main');
});

test('lint rows carry severity icons and the rule code', () => {
  const v = lintView('dr-3', 0, { code: 'no-primary-key', severity: 'error', message: 'legacy has no primary key', table: 'legacy' });
  assert.equal(v.icon, 'error');
  assert.equal(v.description, 'no-primary-key · legacy');
});

test('package.json context menus offer exactly the actions valid in each state', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { menus: { 'view/item/context': { command: string; when: string }[] }; commands: { command: string; category: string }[] };
  };
  const all = pkg.contributes.menus['view/item/context'].filter((m) => m.when.includes('schemabranch.deployRequests'));
  // The page shows any request, whatever its state: offered on every row, so it is not one of a state's actions.
  const page = all.find((m) => m.command === Commands.openDeployRequestPage);
  assert.match(page?.when ?? '', /viewItem =~ \/\^deployRequest-\/$/);
  const menus = all.filter((m) => m !== page);
  for (const [state, expected] of Object.entries(ACTIONS_BY_STATE)) {
    const viewItem = `deployRequest-${state}`;
    const offered = menus
      .filter((m) => {
        const re = /viewItem =~ \/(.*)\/$/.exec(m.when);
        return re ? new RegExp(re[1]).test(viewItem) : false;
      })
      .map((m) => m.command)
      .sort();
    assert.deepEqual(offered, [...(expected ?? [])].sort(), state);
  }
  const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
  for (const id of Object.values(Commands)) assert.ok(contributed.has(id), `${id} is registered but not contributed`);
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'Schema Branch', c.command);
});

test('one served folder: the trees show its rows on top, exactly as a single-folder workspace always did', () => {
  const shop = { uri: 'file:///work/shop', name: 'shop', path: '/work/shop' };
  const top = treeTop('branches', [shop]);
  assert.deepEqual(top, { rowsOf: shop });
  const row = branchView({ name: 'feature-x', folder: 'schema/feature-x', files: 2, changesVsMain: 1 } as BranchInfo);
  assert.equal(inFolder(row, shop, false), row);
  assert.equal(inFolder(row, shop, false).id, 'branch-feature-x');
  // The request row opens its page for its folder; with no folder (older callers) the bare number as before.
  assert.deepEqual(deployRequestView(dr('open'), now).command?.arguments, [3]);
  assert.deepEqual(deployRequestView(dr('open'), now, shop.uri).command?.arguments, [{ folder: shop.uri, deployRequest: 3 }]);
});

test('several served folders: a row per folder on top, open, named and with its path; rows below are told apart by folder', () => {
  const shop = { uri: 'file:///work/shop', name: 'shop', path: '/work/shop' };
  const billing = { uri: 'file:///work/billing', name: 'billing', path: '/work/billing' };
  for (const tree of ['branches', 'deployRequests'] as const) {
    const top = treeTop(tree, [shop, billing]);
    assert.ok('folders' in top);
    assert.deepEqual(top.folders.map((f) => f.folder), [shop, billing]);
    assert.deepEqual(top.folders.map((f) => [f.view.label, f.view.tooltip, f.view.icon, f.view.collapsible, f.view.expanded, f.view.contextValue]), [
      ['shop', '/work/shop', 'root-folder', true, true, 'folder'],
      ['billing', '/work/billing', 'root-folder', true, true, 'folder'],
    ]);
    assert.equal(new Set(top.folders.map((f) => f.view.id)).size, 2);
  }
  // The two trees' folder rows differ too (VS Code wants ids unique per tree; different per tree keeps reveal() unambiguous).
  const b = treeTop('branches', [shop, billing]);
  const r = treeTop('deployRequests', [shop, billing]);
  assert.ok('folders' in b && 'folders' in r);
  assert.notEqual(b.folders[0]?.view.id, r.folders[0]?.view.id);
  // Both folders have a feature-x branch and a #3: their rows must not share an id, or VS Code refuses the tree.
  const row = branchView({ name: 'feature-x', folder: 'schema/feature-x', files: 2, changesVsMain: 1 } as BranchInfo);
  const ids = [inFolder(row, shop, true).id, inFolder(row, billing, true).id, inFolder(deployRequestView(dr('open'), now), shop, true).id, inFolder(deployRequestView(dr('open'), now), billing, true).id];
  assert.equal(new Set(ids).size, 4);
  assert.equal(inFolder(row, shop, true).label, 'feature-x');
});

test('no folder served: no folder rows', () => {
  assert.deepEqual(treeTop('branches', []), { folders: [] });
});
