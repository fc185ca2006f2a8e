/** Views, triggers, routines and events in the editor: accepted, and a malformed header is an error at its token. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { makeWorkspace, startClient, type TestClient } from './support/lsp.js';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'engine', 'test', 'schema', 'fixtures', 'objects', name), 'utf8');

const ws = makeWorkspace({
  'schema/main/tables.sql': fixture('tables.sql'),
  'schema/main/views.sql': fixture('views.sql'),
  'schema/main/routines.sql': fixture('routines.sql'),
  'schema/main/event.sql': fixture('event.sql'),
});
let c: TestClient;
before(async () => (c = await startClient(ws.root)));
after(async () => {
  await c.close();
  ws.remove();
});

test('Sakila-like views, a trigger, routines with DELIMITER $$ and an event get no diagnostics', () => {
  for (const f of ['views.sql', 'routines.sql', 'event.sql']) {
    const d = c.diagnostics.get(ws.uri(`schema/main/${f}`));
    assert.ok(d, `no diagnostics published for ${f}`);
    assert.deepEqual(d.map((x) => x.code), [], f);
  }
});

test('a trigger without ON is an error at the token; another statement keeps the not-create-table error', async () => {
  const uri = ws.uri('schema/main/event.sql');
  const d = await c.change(uri, 'CREATE TRIGGER t BEFORE INSERT customer FOR EACH ROW SET NEW.a = 1;\nCREATE INDEX i ON customer (first_name);\n');
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.range.start.line, x.range.start.character]), [
    ['syntax-error', DiagnosticSeverity.Error, 0, 31],
    ['not-create-table', DiagnosticSeverity.Error, 1, 0],
  ]);
});
