/**
 * A multi-root workspace as VS Code's client serves it: one server per folder
 * with a schema, each initialized with that folder alone. Each folder gets its
 * own configuration (schema folder, lint severities) and its own diagnostics,
 * and no server publishes anything for the other folder's files.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { makeWorkspace, startClient, type TestClient } from './support/lsp.js';

const NO_KEY = 'CREATE TABLE events (\n  id bigint NOT NULL,\n  name varchar(40) NOT NULL\n) DEFAULT CHARSET=utf8mb4;\n';

// Folder "billing": its own schema folder (db/) and no-primary-key turned off in its schemabranch.json.
const billing = makeWorkspace(
  {
    'schemabranch.json': JSON.stringify({ database: 'billing', schemaDir: 'db', lint: { severity: { 'no-primary-key': 'off' } } }),
    'db/main/events.sql': NO_KEY,
    // Not billing's schema folder: never checked by billing's server.
    'schema/main/events.sql': NO_KEY,
  },
  'sb-multiroot-billing-',
);
// Folder "shop": defaults (schema/), where a table without a primary key is an error.
const shop = makeWorkspace({ 'schemabranch.json': JSON.stringify({ database: 'shop' }), 'schema/main/events.sql': NO_KEY }, 'sb-multiroot-shop-');

let billingServer: TestClient;
let shopServer: TestClient;
before(async () => {
  [billingServer, shopServer] = await Promise.all([startClient(billing.root), startClient(shop.root)]);
});
after(async () => {
  await Promise.all([billingServer.close(), shopServer.close()]);
  billing.remove();
  shop.remove();
});

const codes = (d: Diagnostic[] | undefined): string[] => (d ?? []).map((x) => String(x.code)).sort();

test('each folder is checked with its own schemabranch.json: the same table is fine in one and an error in the other', () => {
  assert.equal(billingServer.session.root, billing.root);
  assert.equal(shopServer.session.root, shop.root);
  assert.equal(billingServer.session.config?.database, 'billing');
  assert.equal(shopServer.session.config?.database, 'shop');
  assert.deepEqual(codes(billingServer.diagnostics.get(billing.uri('db/main/events.sql'))), []);
  assert.deepEqual(codes(shopServer.diagnostics.get(shop.uri('schema/main/events.sql'))), ['no-primary-key']);
});

test("no server publishes diagnostics for the other folder's files, nor for files outside its own schema folder", () => {
  const foreign = (c: TestClient, root: string): string[] => [...c.diagnostics.keys()].filter((u) => !u.startsWith(`file://${root}/`));
  assert.deepEqual(foreign(billingServer, billing.root), []);
  assert.deepEqual(foreign(shopServer, shop.root), []);
  assert.equal(billingServer.diagnostics.has(billing.uri('schema/main/events.sql')), false);
});

test('an edit in one folder re-checks that folder only', async () => {
  const before = shopServer.diagnostics.get(shop.uri('schema/main/events.sql'));
  const d = await billingServer.change(billing.uri('db/main/events.sql'), 'CREATE TABLE events (\n  id bigint NOT NUL\n);\n');
  assert.deepEqual(codes(d), ['syntax-error']);
  // The other server's last word on its file is unchanged: nothing crossed over.
  assert.equal(shopServer.diagnostics.get(shop.uri('schema/main/events.sql')), before);
  assert.deepEqual(codes(shopServer.diagnostics.get(shop.uri('schema/main/events.sql'))), ['no-primary-key']);
});

test("file events from the other folder (the editor's watchers see every folder) change nothing here and rescan nothing", async () => {
  let rescans = 0;
  const session = billingServer.session;
  const rescan = session.rescan.bind(session);
  session.rescan = () => {
    rescans++;
    return rescan();
  };
  try {
    const published = billingServer.diagnostics.size;
    // Shop's checkout, its config and a new table: each would make billing rescan or load a file if it were billing's.
    const created = shop.write('schema/main/orders.sql', NO_KEY.replace('events', 'orders'));
    await billingServer.filesChanged([
      { uri: shop.uri('.git/HEAD'), type: 2 },
      { uri: shop.uri('schemabranch.json'), type: 2 },
      { uri: `file://${created}`, type: 1 },
    ]);
    assert.equal(rescans, 0);
    assert.equal(billingServer.diagnostics.size, published);
    // The same kind of event inside billing does rescan: the filter is by folder, not by kind.
    await billingServer.filesChanged([{ uri: billing.uri('.git/HEAD'), type: 2 }]);
    assert.equal(rescans, 1);
  } finally {
    session.rescan = rescan;
  }
});
