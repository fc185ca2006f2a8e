import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderCreateObject } from '../../src/sql/object-ddl.js';

test("a view read back from a server (ALGORITHM, DEFINER, SQL SECURITY) renders in the server's clause order", () => {
  const view = { kind: 'view' as const, name: 'v', definer: { user: 'root', host: 'localhost' }, clauses: 'ALGORITHM=UNDEFINED SQL SECURITY DEFINER', body: 'AS select 1 AS `x`', nolint: [] };
  assert.equal(renderCreateObject(view, { orReplace: true }), "CREATE OR REPLACE ALGORITHM=UNDEFINED DEFINER='root'@'localhost' SQL SECURITY DEFINER VIEW `v` AS select 1 AS `x`");
  assert.equal(renderCreateObject({ ...view, definer: undefined, clauses: 'SQL SECURITY INVOKER' }), 'CREATE SQL SECURITY INVOKER VIEW `v` AS select 1 AS `x`');
});
