/**
 * Fuzz: random mutations of real schema files, each followed by a random
 * request at a random position. The server must publish diagnostics for every
 * change, answer every request, and log no handler failure. The seed is
 * printed so a failure can be replayed (SCHEMABRANCH_FUZZ_SEED).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
} from 'vscode-languageserver-protocol';
import { BranchDiffRequest } from '../src/protocol.js';
import { makeWorkspace, startClient } from './support/lsp.js';
import { seededRandom } from '../../test/support/random.js';

const FIXTURES = join(__dirname, 'fixtures', 'shop');
const ITERATIONS = Number(process.env.SCHEMABRANCH_FUZZ_ITERATIONS ?? 300);

const random = seededRandom;

const SNIPPETS = ['(', ')', ',', "'", '"', '`', '/*', '*/', '-- ', '#', ';', '\\', 'CREATE TABLE ', ' KEY ', ' REFERENCES ', 'NOT NULL', 'PRIMARY KEY (', 'é', '😀', '\uFFFD', '\n', ' ', 'CHARACTER SET ', 'AS (', 'x'];

function mutate(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const len = 1 + Math.floor(rnd() * 20);
  switch (Math.floor(rnd() * 6)) {
    case 0:
      return text.slice(0, at) + text.slice(at + len);
    case 1:
      return text.slice(0, at) + SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at, at + len) + text.slice(at);
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(rnd() * lines.length);
      const j = Math.floor(rnd() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    case 4:
      return text.slice(0, at);
    default:
      return text.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 0x3000)) + text.slice(at);
  }
}

test('random mutations of real schema files: every change gets diagnostics, every request an answer, no handler fails', async () => {
  const seed = Number(process.env.SCHEMABRANCH_FUZZ_SEED ?? Date.now() % 1_000_000);
  console.log(`fuzz seed ${seed} (replay with SCHEMABRANCH_FUZZ_SEED=${seed}), ${ITERATIONS} iterations`);
  const rnd = random(seed);
  const originals: Record<string, string> = {};
  for (const f of readdirSync(FIXTURES)) {
    originals[`schema/main/${f}`] = readFileSync(join(FIXTURES, f), 'utf8');
    originals[`schema/feature/${f}`] = readFileSync(join(FIXTURES, f), 'utf8');
  }
  const ws = makeWorkspace(originals);
  const c = await startClient(ws.root);
  try {
    const rels = Object.keys(originals);
    const texts = { ...originals };
    // The engine parser's own failures are its bugs, reported as diagnostics (the server survives them); list them for its owner.
    const parserFailures: string[] = [];
    const context0 = (i: number, rel: string): string => `iteration ${i}, seed ${seed}, ${rel}`;
    for (let i = 0; i < ITERATIONS; i++) {
      const rel = rels[Math.floor(rnd() * rels.length)];
      texts[rel] = rnd() < 0.05 ? originals[rel] : mutate(texts[rel], rnd);
      const uri = ws.uri(rel);
      const published = await c.change(uri, texts[rel]);
      for (const d of published) if (d.code === 'parser-failure' || d.code === 'parser-crash') parserFailures.push(`${context0(i, rel)}: ${JSON.stringify(d.message)}`);
      const lines = texts[rel].split('\n');
      const line = Math.floor(rnd() * lines.length);
      const position = { line, character: Math.floor(rnd() * (lines[line].length + 1)) };
      const doc = { textDocument: { uri } };
      const context = `iteration ${i}, seed ${seed}, ${rel} at ${JSON.stringify(position)}`;
      const answer = await [
        () => c.conn.sendRequest(HoverRequest.type, { ...doc, position }),
        () => c.conn.sendRequest(CompletionRequest.type, { ...doc, position }),
        () => c.conn.sendRequest(DefinitionRequest.type, { ...doc, position }),
        () => c.conn.sendRequest(ReferencesRequest.type, { ...doc, position, context: { includeDeclaration: true } }),
        () => c.conn.sendRequest(RenameRequest.type, { ...doc, position, newName: 'renamed_x' }),
        () => c.conn.sendRequest(DocumentSymbolRequest.type, doc),
        () => c.conn.sendRequest(CodeLensRequest.type, doc),
        () => c.conn.sendRequest(DocumentFormattingRequest.type, { ...doc, options: { tabSize: 2, insertSpaces: true } }),
        () => c.conn.sendRequest(CodeActionRequest.type, { ...doc, range: { start: position, end: position }, context: { diagnostics: c.diagnostics.get(uri) ?? [] } }),
        () => c.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'id' }),
        () => c.conn.sendRequest(BranchDiffRequest.type, { branch: 'feature' }),
      ][Math.floor(rnd() * 11)]().then(
        () => 'answered',
        (err: unknown) => `failed: ${(err as Error).message} (${context})`,
      );
      assert.equal(answer, 'answered');
    }
    if (parserFailures.length) console.log(`parser failures (engine/src/schema):\n${parserFailures.slice(0, 5).join('\n')}`);
    const failures = c.notifications.filter((n) => n.method === 'window/logMessage' && /failed|crashed/.test(JSON.stringify(n.params)));
    assert.deepEqual(failures, [], `handlers failed (seed ${seed})`);
    // Back to the real files: the server recovers to the same diagnostics as at startup.
    for (const rel of rels) {
      const d = await c.change(ws.uri(rel), originals[rel]);
      assert.ok(d.every((x) => x.code !== 'syntax-error'), `${rel} after reset (seed ${seed}): ${JSON.stringify(d)}`);
    }
  } finally {
    await c.close();
    ws.remove();
  }
});
