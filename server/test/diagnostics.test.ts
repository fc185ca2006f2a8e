/** Diagnostics as the editor sees them: parse errors at the token, lint rules with links, cross-file problems. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { makeWorkspace, startClient, type TestClient } from './support/lsp.js';

const USERS = 'CREATE TABLE users (\n  id bigint NOT NULL AUTO_INCREMENT,\n  email varchar(255) NOT NULL,\n  PRIMARY KEY (id)\n) DEFAULT CHARSET=utf8mb4;\n';
const ORDERS =
  'CREATE TABLE orders (\n  id bigint NOT NULL AUTO_INCREMENT,\n  user_id bigint NOT NULL,\n  PRIMARY KEY (id),\n  KEY by_user (user_id),\n' +
  '  CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id)\n) DEFAULT CHARSET=utf8mb4;\n';

const ws = makeWorkspace({
  'schema/main/users.sql': USERS,
  'schema/main/orders.sql': ORDERS,
  'schema/feature/users.sql': USERS,
  'schema/feature/orders.sql': ORDERS,
  'schema/gap/events.sql': 'CREATE TABLE events (\n  id int NOT NULL,\n  PRIMARY KEY (id)\n) PARTITION BY HASH (id) PARTITIONS 4;\n',
});
let c: TestClient;
before(async () => (c = await startClient(ws.root)));
after(async () => {
  await c.close();
  ws.remove();
});

const codes = (d: Diagnostic[]): string[] => d.map((x) => String(x.code)).sort();
const msg = (d: Diagnostic | undefined): string => (typeof d?.message === 'string' ? d.message : (d?.message.value ?? ''));

test('every file of every branch gets diagnostics at startup; clean files get an empty list', () => {
  for (const f of ['schema/main/users.sql', 'schema/main/orders.sql', 'schema/feature/users.sql']) {
    assert.ok(c.diagnostics.has(ws.uri(f)), `no diagnostics published for ${f}`);
  }
  assert.deepEqual(codes(c.diagnostics.get(ws.uri('schema/main/users.sql')) ?? []), []);
  // orders.sql holds a foreign key: no finding, the foreign-key rule is off by default.
  assert.deepEqual(codes(c.diagnostics.get(ws.uri('schema/main/orders.sql')) ?? []), []);
});

test('a syntax error is reported at the exact token, as an error with its code and a link to its documentation', async () => {
  const uri = ws.uri('schema/feature/users.sql');
  const d = await c.change(uri, 'CREATE TABLE users (\n  id bigint NOT NUL,\n  PRIMARY KEY (id)\n);\n');
  const err = d.find((x) => x.code === 'syntax-error');
  assert.ok(err, JSON.stringify(d));
  assert.equal(err.severity, DiagnosticSeverity.Error);
  assert.deepEqual(err.range, { start: { line: 1, character: 12 }, end: { line: 1, character: 15 } });
  assert.match(err.codeDescription?.href ?? '', /^file:\/\/.*docs\/lsp-extensions\.md#syntax-error$/);
  assert.equal(err.source, 'schemabranch');
});

test('while a file is mid-edit, foreign keys to its tables elsewhere are not reported missing', async () => {
  const orders = c.diagnostics.get(ws.uri('schema/feature/orders.sql')) ?? [];
  assert.ok(!orders.some((x) => x.code === 'missing-fk-table'), JSON.stringify(orders));
});

test('lint violations map one to one, with the rule code and its anchor', async () => {
  const uri = ws.uri('schema/feature/users.sql');
  const d = await c.change(uri, 'CREATE TABLE users (\n  id bigint NOT NULL,\n  score float\n) DEFAULT CHARSET=latin1;\n');
  assert.deepEqual(codes(d), ['charset-allowlist', 'float-double', 'no-primary-key']);
  const npk = d.find((x) => x.code === 'no-primary-key');
  assert.equal(npk?.severity, DiagnosticSeverity.Error);
  assert.match(npk?.codeDescription?.href ?? '', /^file:\/\/.*docs\/lint-rules\.md#no-primary-key$/);
  assert.deepEqual(npk?.range.start, { line: 0, character: 13 });
});

test('cross-file: the other file is republished when a table it references disappears, and again when it comes back', async () => {
  const usersUri = ws.uri('schema/feature/users.sql');
  const ordersUri = ws.uri('schema/feature/orders.sql');
  const missing = c.nextDiagnostics(ordersUri, (d) => d.some((x) => x.code === 'missing-fk-table'));
  await c.change(usersUri, 'CREATE TABLE customers (\n  id bigint NOT NULL,\n  PRIMARY KEY (id)\n);\n');
  const d = await missing;
  const m = d.find((x) => x.code === 'missing-fk-table');
  assert.equal(m?.severity, DiagnosticSeverity.Error);
  // At the referenced table's name inside REFERENCES users (id).
  assert.deepEqual(m?.range, { start: { line: 5, character: 54 }, end: { line: 5, character: 59 } });
  const fixed = c.nextDiagnostics(ordersUri, (x) => !x.some((y) => y.code === 'missing-fk-table'));
  await c.change(usersUri, USERS);
  await fixed;
});

test('cross-file: a table defined twice, an FK to a missing column, an index on a missing column', async () => {
  const uri = ws.uri('schema/feature/extra.sql');
  const text =
    'CREATE TABLE users (\n  id bigint NOT NULL,\n  PRIMARY KEY (id)\n);\n' +
    'CREATE TABLE notes (\n  id int NOT NULL,\n  user_id bigint,\n  PRIMARY KEY (id),\n  KEY by_author (author_id),\n' +
    '  CONSTRAINT fk_n FOREIGN KEY (user_id) REFERENCES users (uid)\n);\n';
  const usersElsewhere = c.nextDiagnostics(ws.uri('schema/feature/users.sql'), (d) => d.some((x) => x.code === 'duplicate-table'));
  const d = await c.open(uri, text);
  assert.deepEqual(codes(d).filter((x) => x.startsWith('missing') || x === 'duplicate-table'), ['duplicate-table', 'missing-fk-column', 'missing-index-column']);
  const col = d.find((x) => x.code === 'missing-fk-column');
  assert.deepEqual(col?.range.start, { line: 9, character: 58 });
  const idx = d.find((x) => x.code === 'missing-index-column');
  assert.deepEqual(idx?.range, { start: { line: 8, character: 17 }, end: { line: 8, character: 26 } });
  const dup = (await usersElsewhere).find((x) => x.code === 'duplicate-table');
  assert.match(msg(dup), /extra\.sql:1/);
  await c.change(uri, '');
});

test("a parser gap is a warning that says it is the parser's gap", () => {
  const d = c.diagnostics.get(ws.uri('schema/gap/events.sql')) ?? [];
  const gap = d.find((x) => x.severity === DiagnosticSeverity.Warning && /parser|schemabranch/i.test(msg(x)));
  assert.ok(gap, JSON.stringify(d));
  assert.ok(!d.some((x) => x.severity === DiagnosticSeverity.Error), JSON.stringify(d));
});

test('a .sql file outside the schema folder is checked on its own', async () => {
  const d = await c.open(ws.uri('scratch/t.sql'), 'CREATE TABLE t (a int);\n');
  assert.deepEqual(codes(d), ['no-primary-key']);
});
