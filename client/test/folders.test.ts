import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { contains, folderOfPath, foldersToServe, requestKey, routeCommand, type FolderRef } from '../src/folders.js';

const folder = (name: string, path: string): FolderRef => ({ name, path, uri: `file://${path}` });
const shop = folder('shop', '/work/shop');
const billing = folder('billing', '/work/billing');
// A folder nested in another one (a monorepo folder added on its own).
const shopApi = folder('api', '/work/shop/services/api');

test('a file belongs to the innermost folder that holds it; a sibling with a common prefix is not inside', () => {
  assert.equal(folderOfPath([shop, billing], join('/work/shop', 'schema/main/users.sql'))?.name, 'shop');
  assert.equal(folderOfPath([shop, shopApi], join('/work/shop/services/api', 'schema/main/keys.sql'))?.name, 'api');
  assert.equal(folderOfPath([shopApi, shop], join('/work/shop/services/api', 'schema/main/keys.sql'))?.name, 'api');
  assert.equal(folderOfPath([shop, billing], '/work/shopping/schema/main/users.sql'), undefined);
  assert.equal(contains('/work/shop', '/work/shop'), true);
  assert.equal(contains('/work/shop', '/work/shop/..x'), true);
  assert.equal(contains('/work/shop', '/work/shop/../billing'), false);
});

test('folders with a schema are served; with none, every folder is (the welcome view still pulls a schema)', () => {
  const hasSchema = new Set(['billing']);
  assert.deepEqual(foldersToServe([shop, billing], (f) => hasSchema.has(f.name)).map((f) => f.name), ['billing']);
  assert.deepEqual(foldersToServe([shop, billing], () => false).map((f) => f.name), ['shop', 'billing']);
  assert.deepEqual(foldersToServe([shop, billing], () => true).map((f) => f.name), ['shop', 'billing']);
  assert.deepEqual(foldersToServe([], () => true), []);
});

test("a tree row, a page button or the status bar names its folder, and the command acts there whatever file is active", () => {
  const served = [shop, billing];
  const fromRow = routeCommand(served, { folder: billing.uri, deployRequest: 3 }, '/work/shop/schema/main/users.sql');
  assert.deepEqual(fromRow, { kind: 'folder', folder: billing });
  // A folder removed from the workspace meanwhile: nowhere, never another folder's database.
  assert.deepEqual(routeCommand(served, { folder: 'file:///work/gone' }, '/work/shop/x.sql'), { kind: 'none' });
});

test('a file argument (explorer, editor title) routes to the folder holding it', () => {
  assert.deepEqual(routeCommand([shop, billing], { fsPath: '/work/billing/schema/feature/a.sql' }, undefined), { kind: 'folder', folder: billing });
  assert.deepEqual(routeCommand([shop, billing], { fsPath: '/elsewhere/a.sql' }, '/work/shop/a.sql'), { kind: 'none' });
});

test("from the palette: the only folder, else the active file's folder, else ask among the served folders", () => {
  assert.deepEqual(routeCommand([shop], undefined, undefined), { kind: 'folder', folder: shop });
  // With one folder a bare number (an older caller) goes there: single-folder workspaces behave as before.
  assert.deepEqual(routeCommand([shop], 3, '/elsewhere/x.sql'), { kind: 'folder', folder: shop });
  assert.deepEqual(routeCommand([shop, billing], undefined, '/work/billing/schema/main/a.sql'), { kind: 'folder', folder: billing });
  assert.deepEqual(routeCommand([shop, billing], 3, '/work/billing/schema/main/a.sql'), { kind: 'folder', folder: billing });
  assert.deepEqual(routeCommand([shop, billing], undefined, '/elsewhere/x.sql'), { kind: 'ask', folders: [shop, billing] });
  assert.deepEqual(routeCommand([shop, billing], undefined, undefined), { kind: 'ask', folders: [shop, billing] });
  assert.deepEqual(routeCommand([], undefined, '/work/shop/a.sql'), { kind: 'none' });
});

test('a deploy request is keyed by folder and number: #3 of one folder is not #3 of another', () => {
  assert.notEqual(requestKey(shop.uri, 3), requestKey(billing.uri, 3));
  assert.equal(requestKey(shop.uri, 3), requestKey(shop.uri, 3));
});
