/** Bad input never kills the server: each file gets a diagnostic or is skipped with a logged reason, and requests keep being answered. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentSymbolRequest, HoverRequest, CompletionRequest, type Diagnostic } from 'vscode-languageserver-protocol';
import { makeWorkspace, startClient, type TestClient } from './support/lsp.js';

const msg = (d: Diagnostic | undefined): string => (typeof d?.message === 'string' ? d.message : (d?.message.value ?? ''));
const TABLE = 'CREATE TABLE t (\n  id int NOT NULL,\n  PRIMARY KEY (id)\n);\n';

async function stillAnswers(c: TestClient, uri: string): Promise<void> {
  await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 14 } });
  await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 2 } });
  const syms = await c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
  assert.ok(Array.isArray(syms));
}

test('binary, oversized, invalid UTF-8 and unterminated files each get a diagnostic, and the server keeps answering', async () => {
  const big = 'CREATE TABLE big (\n' + '  c int,\n'.repeat(1_400_000) + '  id int NOT NULL PRIMARY KEY\n);\n';
  const ws = makeWorkspace({
    'schema/main/t.sql': TABLE,
    'schema/main/blob.sql': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]),
    'schema/main/big.sql': big,
    'schema/main/latin1.sql': Buffer.concat([Buffer.from("CREATE TABLE l (\n  id int NOT NULL PRIMARY KEY,\n  n varchar(3) DEFAULT 'caf"), Buffer.from([0xe9]), Buffer.from("'\n);\n")]),
    'schema/main/unterminated-string.sql': "CREATE TABLE s (\n  id int NOT NULL PRIMARY KEY,\n  n varchar(3) DEFAULT 'oops\n);\n",
    'schema/main/unterminated-comment.sql': 'CREATE TABLE u (\n  id int NOT NULL PRIMARY KEY /* never closed\n);\n',
  });
  assert.ok(big.length > 10_000_000);
  const c = await startClient(ws.root);
  try {
    const skipped = (rel: string): Diagnostic | undefined => c.diagnostics.get(ws.uri(rel))?.find((d) => d.code === 'file-skipped');
    assert.match(msg(skipped('schema/main/blob.sql')), /binary/);
    assert.match(msg(skipped('schema/main/big.sql')), /\d+\.\d MB, over the 512 KB limit/);
    const utf = c.diagnostics.get(ws.uri('schema/main/latin1.sql'))?.find((d) => d.code === 'invalid-utf8');
    assert.deepEqual(utf?.range.start, { line: 2, character: 27 });
    for (const rel of ['schema/main/unterminated-string.sql', 'schema/main/unterminated-comment.sql']) {
      const d = c.diagnostics.get(ws.uri(rel)) ?? [];
      assert.ok(d.some((x) => x.severity === 1), `${rel}: ${JSON.stringify(d)}`);
    }
    assert.deepEqual(c.diagnostics.get(ws.uri('schema/main/t.sql')), []);

    // The same through open buffers: a 10 MB paste, and text with NUL characters.
    const bigUri = ws.uri('schema/main/big.sql');
    const d = await c.change(bigUri, big + '-- edited\n');
    assert.equal(d[0]?.code, 'file-skipped');
    await stillAnswers(c, bigUri);
    const nul = await c.change(ws.uri('schema/main/t.sql'), TABLE + '\u0000\u0000');
    assert.equal(nul[0]?.code, 'file-skipped');
    for (const rel of ['schema/main/blob.sql', 'schema/main/latin1.sql', 'schema/main/unterminated-string.sql', 'schema/main/unterminated-comment.sql']) {
      await stillAnswers(c, ws.uri(rel));
    }
    // Reasons are logged, not just shown.
    assert.ok(c.notifications.some((n) => n.method === 'window/logMessage' && /skipping .*blob\.sql: it looks binary/.test(JSON.stringify(n.params))));
  } finally {
    await c.close();
    ws.remove();
  }
});

test('a folder of 5,000 files loads, every file gets its diagnostics, and one keystroke republishes', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 5000; i++) files[`schema/main/t${i}.sql`] = `CREATE TABLE t${i} (\n  id int NOT NULL,\n  ref_id int,\n  PRIMARY KEY (id)\n);\n`;
  files['schema/main/notes.txt'] = 'not sql';
  const ws = makeWorkspace(files);
  const c = await startClient(ws.root);
  try {
    assert.match(c.status.message, /Loaded 5000 schema files/);
    assert.equal(c.diagnostics.size, 5000);
    const d = await c.change(ws.uri('schema/main/t42.sql'), 'CREATE TABLE t42 (\n  id int NOT NULL,\n  PRIMARY KEY (id),\n  KEY k (nope)\n);\n');
    assert.deepEqual(d.map((x) => x.code), ['missing-index-column']);
  } finally {
    await c.close();
    ws.remove();
  }
});

test('a large buffer (300 KB) is re-checked once typing settles, and its diagnostics still arrive', async () => {
  const ws = makeWorkspace({ 'schema/main/t.sql': TABLE });
  const c = await startClient(ws.root);
  try {
    let text = '';
    for (let i = 0; text.length < 300_000; i++) text += `CREATE TABLE big${i} (\n  id int NOT NULL,\n  note varchar(100),\n  PRIMARY KEY (id)\n);\n`;
    const uri = ws.uri('schema/main/big.sql');
    assert.deepEqual(await c.change(uri, text), []);
    const d = await c.change(uri, text + 'CREATE TABLE last (a int);\n');
    assert.deepEqual(d.map((x) => x.code), ['no-primary-key']);
  } finally {
    await c.close();
    ws.remove();
  }
});
