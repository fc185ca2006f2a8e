/**
 * The per-keystroke path of a branch with views and triggers: 1,000 generated tables
 * (bench/lsp.bench.ts's) and 495 files each with a view and an audit trigger
 * (bench/objects-lsp.bench.ts's), in main and in a branch `feature` copied from it, served
 * in process over real LSP. Times one edit -> that file's diagnostics, in a table file and in
 * an object file of the branch (which also lints the file's objects against the branch's
 * names, and recounts every lens of the branch against main), then the code lens of an object
 * file and the branch diff.
 * Target: keystroke median < 50 ms (lsp.bench.ts's).
 *
 * Run: `npx tsx bench/objects-keystroke.bench.ts` (or `npm run bench -- objects-keystroke`).
 */
import { CodeLensRequest } from 'vscode-languageserver-protocol';
import { makeWorkspace, startClient, type TestClient } from '../server/test/support/lsp.js';
import { BranchDiffRequest } from '../server/src/protocol.js';
import { generatedTable } from './lsp.bench.js';
import { objectsFile } from './objects-lsp.bench.js';

const TABLES = 1000;
const RUNS = 21;
const TARGET_MS = 50;

async function timed(label: string, fn: (k: number) => Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const started = performance.now();
    await fn(k);
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(RUNS / 2)];
  console.log(`${label.padEnd(44)} median ${median.toFixed(1).padStart(6)} ms   p95 ${runs[Math.floor(RUNS * 0.95)].toFixed(1).padStart(6)} ms`);
  return median;
}

async function main(): Promise<void> {
  const files: Record<string, string> = {};
  for (const branch of ['main', 'feature']) {
    for (let i = 0; i < TABLES; i++) files[`schema/${branch}/t${String(i).padStart(4, '0')}.sql`] = generatedTable(i);
    for (let i = 10; i < TABLES; i += 2) files[`schema/${branch}/o${String(i).padStart(4, '0')}.sql`] = objectsFile(i);
  }
  const ws = makeWorkspace(files, 'sb-objkey-');
  let c: TestClient | undefined;
  try {
    const started = performance.now();
    c = await startClient(ws.root);
    console.log(`loaded ${Object.keys(files).length} files in ${(performance.now() - started).toFixed(0)} ms`);
    const client = c;
    const table = ws.uri('schema/feature/t0500.sql');
    const objects = ws.uri('schema/feature/o0500.sql');
    await client.open(table, generatedTable(500));
    await client.open(objects, objectsFile(500));
    const medians = [
      await timed('keystroke in a table file -> diagnostics', (k) => client.change(table, generatedTable(500).replace('DEFAULT 0.00', `DEFAULT ${k % 2}.00`))),
      await timed('keystroke in a view+trigger file -> diagnostics', (k) => client.change(objects, objectsFile(500).replace("'active'", `'active${k % 2}'`))),
    ];
    await timed('code lens of the view+trigger file', () => client.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: objects } }));
    await timed('branch diff of feature', () => client.conn.sendRequest(BranchDiffRequest.type, { branch: 'feature' }));
    const worst = Math.max(...medians);
    console.log(`worst keystroke median ${worst.toFixed(1)} ms (target < ${TARGET_MS} ms): ${worst < TARGET_MS ? 'ok' : 'OVER TARGET'}`);
  } finally {
    await c?.close();
    ws.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
