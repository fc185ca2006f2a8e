/** Hover, completion, navigation, rename, symbols, code lens, formatting and quick fixes, over real LSP. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  HoverRequest,
  ReferencesRequest,
  RenameRequest,
  WorkspaceSymbolRequest,
  type CompletionItem,
  type CompletionList,
  type DocumentSymbol,
  type Location,
  type MarkupContent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ShowDiffCommand } from '../src/protocol.js';
import { cursor, makeWorkspace, startClient, type TestClient } from './support/lsp.js';

const USERS = 'CREATE TABLE users (\n  id bigint NOT NULL AUTO_INCREMENT,\n  email varchar(255) NOT NULL DEFAULT \'\',\n  PRIMARY KEY (id),\n  UNIQUE KEY uq_email (email)\n) DEFAULT CHARSET=utf8mb4;\n';
const ORDERS =
  'CREATE TABLE orders (\n  id bigint NOT NULL AUTO_INCREMENT,\n  user_id bigint NOT NULL,\n  PRIMARY KEY (id),\n  KEY by_user (user_id),\n' +
  '  CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id)\n) DEFAULT CHARSET=utf8mb4;\n';
const FEATURE_USERS = USERS.replace("  PRIMARY KEY (id),", "  name varchar(100) NULL,\n  PRIMARY KEY (id),\n  KEY by_name (name),");

const ws = makeWorkspace({
  'schema/main/users.sql': USERS,
  'schema/main/orders.sql': ORDERS,
  'schema/feature/users.sql': FEATURE_USERS,
  'schema/feature/orders.sql': ORDERS,
});
let c: TestClient;
before(async () => (c = await startClient(ws.root)));
after(async () => {
  await c.close();
  ws.remove();
});

/** Opens `rel` with the fixture's text (cursor marker removed) and returns the request position. */
async function at(rel: string, fixture: string): Promise<{ uri: string; position: { line: number; character: number } }> {
  const { text, position } = cursor(fixture);
  await c.change(ws.uri(rel), text);
  return { uri: ws.uri(rel), position };
}

const labels = (r: CompletionItem[] | CompletionList | null): string[] => (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);

test('hover on a column: full type, nullability, default, its indexes and the foreign keys that reference it', async () => {
  const p = await at('schema/main/users.sql', USERS.replace('  email varchar', '  em|ail varchar'));
  const h = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: p.uri }, position: p.position });
  const v = (h?.contents as MarkupContent).value;
  assert.match(v, /`email` varchar\(255\) NOT NULL DEFAULT ''/);
  assert.match(v, /NOT NULL · default: `''`/);
  assert.match(v, /UNIQUE KEY `uq_email` \(`email`\)/);
  const id = await at('schema/main/users.sql', USERS.replace('  id bigint', '  i|d bigint'));
  const hid = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: id.uri }, position: id.position });
  assert.match((hid?.contents as MarkupContent).value, /Referenced by[\s\S]*`orders`\.\(user_id\) via `fk_user`/);
});

test('hover on a table name after REFERENCES describes the table (no database: no live figures)', async () => {
  const p = await at('schema/main/orders.sql', ORDERS.replace('REFERENCES users', 'REFERENCES us|ers'));
  const h = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: p.uri }, position: p.position });
  const v = (h?.contents as MarkupContent).value;
  assert.match(v, /CREATE TABLE users/);
  assert.match(v, /2 columns · primary key: \(id\)/);
  assert.doesNotMatch(v, /rows/);
});

test('completion: types after a column name, columns inside a key, tables after REFERENCES, their columns after', async () => {
  const req = async (fixture: string): Promise<string[]> => {
    const p = await at('schema/feature/scratch.sql', fixture);
    return labels(await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: p.uri }, position: p.position }));
  };
  assert.ok((await req('CREATE TABLE t (\n  a |')).includes('varchar(255)'));
  assert.deepEqual((await req('CREATE TABLE t (\n  a int,\n  bee text,\n  KEY k (|')).sort(), ['a', 'bee']);
  const tables = await req('CREATE TABLE t (\n  u bigint,\n  FOREIGN KEY (u) REFERENCES |');
  assert.ok(tables.includes('users') && tables.includes('orders'), tables.join());
  assert.deepEqual((await req('CREATE TABLE t (\n  u bigint,\n  FOREIGN KEY (u) REFERENCES users (|')).sort(), ['email', 'id', 'name']);
  assert.ok((await req('CREATE TABLE t (\n  a text CHARACTER SET |')).includes('utf8mb4'));
  const coll = await req('CREATE TABLE t (\n  a text CHARACTER SET latin1 COLLATE |');
  assert.ok(coll.includes('latin1_swedish_ci') && !coll.includes('utf8mb4_bin'), coll.join());
  assert.ok((await req('|')).includes('CREATE TABLE'));
  await c.change(ws.uri('schema/feature/scratch.sql'), '');
});

test('definition and references of a column across files; of a table from REFERENCES', async () => {
  const p = await at('schema/main/orders.sql', ORDERS.replace('REFERENCES users (id)', 'REFERENCES users (i|d)'));
  const def = (await c.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: p.uri }, position: p.position })) as Location[];
  assert.equal(def.length, 1);
  assert.equal(def[0].uri, ws.uri('schema/main/users.sql'));
  assert.deepEqual(def[0].range, { start: { line: 1, character: 2 }, end: { line: 1, character: 4 } });
  const refs = (await c.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: p.uri }, position: p.position, context: { includeDeclaration: true } })) ?? [];
  // users.id: its definition, PRIMARY KEY (id), and orders' REFERENCES users (id); never orders.id.
  assert.deepEqual(refs.map((r) => `${r.uri.endsWith('users.sql') ? 'users' : 'orders'}:${r.range.start.line}`).sort(), ['orders:5', 'users:1', 'users:3']);
  const t = await at('schema/main/orders.sql', ORDERS.replace('REFERENCES users', 'REFERENCES u|sers'));
  const tdef = (await c.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: t.uri }, position: t.position })) as Location[];
  assert.deepEqual(tdef.map((l) => [l.uri, l.range.start.line, l.range.start.character]), [[ws.uri('schema/main/users.sql'), 0, 13]]);
});

test("rename a column across a branch's files, leaving other branches and same-named columns alone", async () => {
  const p = await at('schema/feature/users.sql', FEATURE_USERS.replace('  id bigint', '  i|d bigint'));
  const edit = (await c.conn.sendRequest(RenameRequest.type, { textDocument: { uri: p.uri }, position: p.position, newName: 'user id' })) as WorkspaceEdit;
  const changes = edit.changes ?? {};
  assert.deepEqual(Object.keys(changes).sort(), [ws.uri('schema/feature/orders.sql'), ws.uri('schema/feature/users.sql')].sort());
  assert.deepEqual(changes[ws.uri('schema/feature/orders.sql')].map((e) => [e.range.start.line, e.newText]), [[5, '`user id`']]);
  assert.deepEqual(changes[ws.uri('schema/feature/users.sql')].map((e) => e.range.start.line).sort(), [1, 4]);
});

test('document symbols: tables with their columns and keys; workspace symbols across branches', async () => {
  await c.change(ws.uri('schema/feature/users.sql'), FEATURE_USERS);
  const syms = (await c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: ws.uri('schema/feature/users.sql') } })) as DocumentSymbol[];
  assert.equal(syms[0].name, 'users');
  assert.deepEqual(syms[0].children?.slice(0, 3).map((s) => `${s.name}:${s.detail}`), ['id:bigint', 'email:varchar(255)', 'name:varchar(100)']);
  const wsyms = (await c.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'ordersuser' })) ?? [];
  assert.deepEqual(wsyms.map((s) => `${s.containerName}:${s.name}`).sort(), ['feature:orders.user_id', 'main:orders.user_id']);
});

test('code lens on each table of a non-main branch: "N changes vs main — Preview" with schemabranch.showDiff', async () => {
  const lenses = (await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: ws.uri('schema/feature/users.sql') } })) ?? [];
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0].command?.title, '2 changes vs main — Preview');
  assert.equal(lenses[0].command?.command, ShowDiffCommand);
  assert.deepEqual(lenses[0].command?.arguments, [{ branch: 'feature', base: 'main', table: 'users', uri: ws.uri('schema/feature/users.sql') }]);
  const mainLenses = (await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: ws.uri('schema/main/users.sql') } })) ?? [];
  assert.equal(mainLenses.length, 0);
});

test('formatting rewrites a table in canonical form; a statement with comments inside is left alone', async () => {
  const uri = ws.uri('schema/feature/fmt.sql');
  const before = '-- kept\ncreate table   fmt ( id INT not null , primary key(id) );\n';
  await c.change(uri, before);
  const edits = (await c.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
  assert.equal(edits.length, 1);
  const formatted = TextDocument.applyEdits(TextDocument.create(uri, 'sql', 1, before), edits);
  assert.equal(formatted, '-- kept\nCREATE TABLE `fmt` (\n  `id` int NOT NULL,\n  PRIMARY KEY (`id`)\n);\n');
  await c.change(uri, 'create table fmt ( id INT not null, -- keep me\n primary key(id) );\n');
  const none = (await c.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
  assert.deepEqual(none, []);
  await c.change(uri, '');
});

test('hover and formatting work on a table with unnamed keys and an unnamed foreign key (employees\' dept_emp)', async () => {
  const uri = ws.uri('schema/feature/dept_emp.sql');
  const text = 'CREATE TABLE dept_emp (\n  emp_no INT NOT NULL,\n  dept_no CHAR(4) NOT NULL,\n  KEY (dept_no),\n  FOREIGN KEY (emp_no) REFERENCES users (id),\n  PRIMARY KEY (emp_no, dept_no)\n);\n';
  await c.change(uri, text);
  const p = cursor(text.replace('  dept_no CHAR', '  dept|_no CHAR'));
  const h = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: p.position });
  assert.match((h?.contents as MarkupContent).value, /- `KEY \(`dept_no`\)`/);
  const e = cursor(text.replace('  emp_no INT', '  emp|_no INT'));
  const he = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: e.position });
  assert.match((he?.contents as MarkupContent).value, /`users`\(id\) via an unnamed foreign key/);
  const edits = (await c.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
  assert.equal(
    TextDocument.applyEdits(TextDocument.create(uri, 'sql', 1, text), edits),
    'CREATE TABLE `dept_emp` (\n  `emp_no` int NOT NULL,\n  `dept_no` char(4) NOT NULL,\n  KEY (`dept_no`),\n  PRIMARY KEY (`emp_no`,`dept_no`),\n  FOREIGN KEY (`emp_no`) REFERENCES `users` (`id`)\n);\n',
    'the keys stay unnamed and in the order written',
  );
  await c.change(uri, '');
});

test('a lint violation that carries a fix becomes a preferred quick fix', async () => {
  const uri = ws.uri('schema/feature/nopk.sql');
  const diags = await c.change(uri, 'CREATE TABLE nopk (\n  a int NOT NULL\n);\n');
  const npk = diags.filter((d) => d.code === 'no-primary-key');
  assert.equal(npk.length, 1);
  const actions = (await c.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: npk[0].range, context: { diagnostics: npk } })) ?? [];
  assert.equal(actions.length, 1);
  const action = actions[0] as { title: string; isPreferred?: boolean; edit?: WorkspaceEdit };
  assert.equal(action.isPreferred, true);
  const edits = action.edit?.changes?.[uri] ?? [];
  assert.ok(edits.length > 0 && edits[0].newText.includes('id'), JSON.stringify(action));
  await c.change(uri, '');
});

test('rename onto a name the table already has is refused with a reason', async () => {
  const p = await at('schema/feature/users.sql', FEATURE_USERS.replace('  id bigint', '  i|d bigint'));
  await assert.rejects(
    c.conn.sendRequest(RenameRequest.type, { textDocument: { uri: p.uri }, position: p.position, newName: 'EMAIL' }),
    /Table `users` already has a column `EMAIL`/,
  );
  const t = await at('schema/feature/users.sql', FEATURE_USERS.replace('CREATE TABLE users', 'CREATE TABLE us|ers'));
  await assert.rejects(c.conn.sendRequest(RenameRequest.type, { textDocument: { uri: t.uri }, position: t.position, newName: 'orders' }), /Branch feature already has a table `orders`/);
});

test('while a file has a syntax error, hover and go-to-definition still work from its last good parse and its text', async () => {
  const broken = USERS.replace("  PRIMARY KEY (id),", '  PRIMARY KEY (id) oops,').replace('  em', '  em|');
  const p = await at('schema/main/users.sql', broken);
  assert.ok((c.diagnostics.get(p.uri) ?? []).some((d) => d.code === 'syntax-error'));
  const h = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: p.uri }, position: p.position });
  assert.match((h?.contents as MarkupContent).value, /`email` varchar\(255\) NOT NULL/);
  const o = await at('schema/main/orders.sql', ORDERS.replace('REFERENCES users', 'REFERENCES u|sers'));
  const def = (await c.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: o.uri }, position: o.position })) as Location[];
  assert.deepEqual(def.map((l) => l.uri), [ws.uri('schema/main/users.sql')]);
  await c.change(ws.uri('schema/main/users.sql'), USERS);
});
