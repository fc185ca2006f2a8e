/**
 * Work per keystroke stays proportional to the edit. A burst of edits is validated once, after the edits (and requests) queued behind each
 * other are read, not once per edit: with 10,000 tables, 300 queued edits left a hover
 * answered 25 s late. Counted in validation passes, never timed (`npm run bench -- lsp`
 * measures the hover's delay).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DidChangeTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol';
import { makeWorkspace, startClient } from './support/lsp.js';

const table = (i: number, extra = ''): string => `CREATE TABLE t${i} (\n  id int NOT NULL,\n  name varchar(10),\n  PRIMARY KEY (id)${extra}\n);\n`;

test('100 edits sent at once are validated in a few passes, the hover queued behind them is answered, and the last text wins', { timeout: 30_000 }, async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`schema/main/t${i}.sql`] = table(i);
  const ws = makeWorkspace(files);
  const c = await startClient(ws.root);
  try {
    const uri = ws.uri('schema/main/t7.sql');
    await c.open(uri, table(7));
    let passes = 0;
    c.session.onValidated = () => passes++;
    const last = table(7, ',\n  KEY k (nope)');
    const final = c.nextDiagnostics(uri, (d) => d.some((x) => x.code === 'missing-index-column'));
    for (let v = 2; v <= 101; v++) {
      const text = v === 101 ? last : table(7, v % 2 ? ',\n  KEY k (name)' : '');
      void c.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    }
    const hover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 14 } });
    assert.ok(hover, 'the hover behind the burst is answered');
    const d = await final;
    assert.deepEqual(d.map((x) => x.code), ['missing-index-column']);
    await c.session.idle();
    // One pass per edit before the fix (100); a few when the burst arrives in several reads.
    assert.ok(passes <= 5, `${passes} validation passes for 100 queued edits`);
  } finally {
    await c.close();
    ws.remove();
  }
});

test('a file past the grammar-check budget counts as read (linted, not broken); a too-deep one is an error in the editor too', { timeout: 30_000 }, async () => {
  const chain = `CREATE TABLE big (\n  a int NOT NULL PRIMARY KEY,\n  CHECK (${'a+'.repeat(90_000)}a > 0)\n);\n`;
  const deep = `CREATE TABLE deep (a int DEFAULT ${'('.repeat(300)}1${')'.repeat(300)});\n`;
  const ws = makeWorkspace({ 'schema/main/big.sql': chain, 'schema/main/deep.sql': deep });
  const c = await startClient(ws.root);
  try {
    const big = c.diagnostics.get(ws.uri('schema/main/big.sql')) ?? [];
    assert.deepEqual(big.map((d) => [d.code, d.severity]), [['grammar-check-skipped', 2]]);
    const parsed = c.session.workspace.parsed(c.session.workspace.documentByUri(ws.uri('schema/main/big.sql'))!);
    assert.equal(parsed.broken, false);
    const d = c.diagnostics.get(ws.uri('schema/main/deep.sql')) ?? [];
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['nesting-too-deep', 1]]);
  } finally {
    await c.close();
    ws.remove();
  }
});

test('cross-file problems of an unchanged file follow the tables it looks up in other files', { timeout: 30_000 }, async () => {
  const orders = 'CREATE TABLE orders (\n  id int NOT NULL PRIMARY KEY,\n  user_id int,\n  CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (uid)\n);\n';
  const users = (col: string): string => `CREATE TABLE users (\n  ${col} int NOT NULL PRIMARY KEY\n);\n`;
  const ws = makeWorkspace({ 'schema/main/orders.sql': orders, 'schema/main/users.sql': users('id'), 'schema/main/other.sql': users('x').replace('users', 'other') });
  const c = await startClient(ws.root);
  try {
    const ordersUri = ws.uri('schema/main/orders.sql');
    const codes = (): string[] => (c.diagnostics.get(ordersUri) ?? []).map((d) => String(d.code)).filter((x) => x.startsWith('missing-') || x === 'duplicate-table');
    assert.deepEqual(codes(), ['missing-fk-column']);
    // The referenced column appears in users.sql: orders.sql (not edited) is republished clean.
    const clean = c.nextDiagnostics(ordersUri, (d) => !d.some((x) => x.code === 'missing-fk-column'));
    await c.change(ws.uri('schema/main/users.sql'), users('uid'));
    await clean;
    // A second definition of users elsewhere: orders.sql is unaffected, users.sql and other.sql report it.
    const twice = c.nextDiagnostics(ws.uri('schema/main/users.sql'), (d) => d.some((x) => x.code === 'duplicate-table'));
    await c.change(ws.uri('schema/main/other.sql'), users('uid'));
    assert.match(String((await twice).find((x) => x.code === 'duplicate-table')?.message ?? ''), /also at other\.sql:1/);
    const once = c.nextDiagnostics(ws.uri('schema/main/users.sql'), (d) => !d.some((x) => x.code === 'duplicate-table'));
    await c.change(ws.uri('schema/main/other.sql'), users('uid').replace('users', 'other'));
    await once;
    assert.deepEqual(codes(), []);
  } finally {
    await c.close();
    ws.remove();
  }
});
