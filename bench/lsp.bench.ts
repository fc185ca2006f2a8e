/**
 * Language server benchmark: a generated schema of 1,000 tables in 1,000
 * files, the server run as a child process over stdio (as another editor
 * would run it), measuring
 *  - initialize -> the last file's diagnostics published,
 *  - the server's RSS afterwards,
 *  - one keystroke in one file -> that file's diagnostics republished (median, p95),
 *  - a burst of edits sent as fast as a fast typist's editor sends them (no waiting for
 *    diagnostics), then a hover: how late the hover answer comes.
 * Targets: keystroke median < 50 ms, p95 < 150 ms, hover after a burst < 500 ms, memory < 300 MB.
 *
 * Run: `npx tsx bench/lsp.bench.ts` (or `npm run bench`). Options: --tables N, --keystrokes N, --burst N.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle as bundleServer } from '../scripts/bundle.js';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  HoverRequest,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
} from 'vscode-languageserver-protocol';

const TARGETS = { medianMs: 50, p95Ms: 150, burstHoverMs: 500, rssMb: 300 };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Table i: a dozen columns, a few indexes, and (after the first ten) foreign keys to two earlier tables in other files. */
export function generatedTable(i: number): string {
  const fks = i >= 10 ? [i - 1, Math.floor(i / 2)] : [];
  const lines = [
    '  id bigint unsigned NOT NULL AUTO_INCREMENT',
    '  name varchar(100) NOT NULL',
    "  status enum('new','active','archived') NOT NULL DEFAULT 'new'",
    '  amount decimal(12,2) NOT NULL DEFAULT 0.00',
    '  payload json DEFAULT NULL',
    '  note text',
    '  created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP',
    '  updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP',
    ...fks.map((t) => `  t${t}_id bigint unsigned DEFAULT NULL`),
    '  PRIMARY KEY (id)',
    '  KEY by_name (name)',
    '  KEY by_status_created (status, created_at)',
    ...fks.map((t) => `  KEY by_t${t} (t${t}_id)`),
    ...fks.map((t) => `  CONSTRAINT fk_t${i}_t${t} FOREIGN KEY (t${t}_id) REFERENCES t${t} (id)`),
  ];
  return `-- generated table ${i}\nCREATE TABLE t${i} (\n${lines.join(',\n')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n`;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<number> {
  const tables = arg('tables', 1000);
  const keystrokes = arg('keystrokes', 200);
  const burst = arg('burst', 300);
  const dir = mkdtempSync(join(tmpdir(), 'sb-lsp-bench-'));
  try {
    const root = join(dir, 'ws');
    mkdirSync(join(root, 'schema', 'main'), { recursive: true });
    for (let i = 0; i < tables; i++) writeFileSync(join(root, 'schema', 'main', `t${i}.sql`), generatedTable(i));
    const bundle = join(dir, 'server.js');
    await bundleServer({ entry: join(__dirname, '..', 'server', 'src', 'main.ts'), outfile: bundle, logLevel: 'error' });

    const child = spawn(process.execPath, [bundle, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const pid = child.pid as number;
    const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const published = new Set<string>();
    let lastPublishAt = 0;
    let allPublished: () => void = () => undefined;
    const allDone = new Promise<void>((r) => (allPublished = r));
    const waiting = new Map<string, (at: number) => void>();
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const at = performance.now();
      if (!published.has(p.uri)) {
        published.add(p.uri);
        lastPublishAt = at;
        if (published.size === tables) allPublished();
      }
      const w = waiting.get(p.uri);
      if (w) {
        waiting.delete(p.uri);
        w(at);
      }
    });
    conn.onRequest('client/registerCapability', () => null);
    conn.onNotification(() => undefined);
    conn.listen();

    const t0 = performance.now();
    await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(root).toString(), capabilities: {}, workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'bench' }] });
    await conn.sendNotification(InitializedNotification.type, {});
    await allDone;
    const startupMs = lastPublishAt - t0;
    const rssAfterLoad = rssMb(pid);

    // Keystrokes: type a character into a column name of one file and delete it again, alternately.
    const file = `t${Math.floor(tables / 2)}`;
    const uri = pathToFileURL(join(root, 'schema', 'main', `${file}.sql`)).toString();
    let text = generatedTable(Math.floor(tables / 2));
    const line = text.split('\n').findIndex((l) => l.startsWith('  note text'));
    const next = (): Promise<number> => new Promise((r) => waiting.set(uri, r));
    let opened = next();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version: 1, text } });
    await opened;
    const times: number[] = [];
    for (let k = 0; k < keystrokes; k++) {
      const typing = k % 2 === 0;
      const range = typing ? { start: { line, character: 6 }, end: { line, character: 6 } } : { start: { line, character: 6 }, end: { line, character: 7 } };
      opened = next();
      const sent = performance.now();
      await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: k + 2 }, contentChanges: [{ range, text: typing ? 'x' : '' }] });
      times.push((await opened) - sent);
    }
    // A burst: every edit sent at once, then a hover on the table's name.
    let version = keystrokes + 2;
    let rssPeak = rssMb(pid);
    for (let k = 0; k < burst; k++) {
      const typing = k % 2 === 0;
      const range = typing ? { start: { line, character: 6 }, end: { line, character: 6 } } : { start: { line, character: 6 }, end: { line, character: 7 } };
      void conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: version++ }, contentChanges: [{ range, text: typing ? 'x' : '' }] });
    }
    const nameLine = text.split('\n').findIndex((l) => l.startsWith('CREATE TABLE'));
    const hoverSent = performance.now();
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 20);
    const hoverAnswer = await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: nameLine, character: 'CREATE TABLE t'.length } });
    const burstHoverMs = performance.now() - hoverSent;
    opened = next();
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: version++ }, contentChanges: [{ range: { start: { line, character: 6 }, end: { line, character: 6 } }, text: '' }] });
    await opened;
    clearInterval(sampler);
    if (!hoverAnswer) throw new Error('the hover after the burst answered nothing');
    text = '';
    const rssAfterTyping = Math.max(rssMb(pid), rssPeak);
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
    conn.dispose();

    times.sort((a, b) => a - b);
    const median = percentile(times, 50);
    const p95 = percentile(times, 95);
    const rss = Math.max(rssAfterLoad, rssAfterTyping);
    const mark = (ok: boolean): string => (ok ? 'ok' : 'OVER TARGET');
    console.log(`lsp: ${tables} tables in ${tables} files, server over stdio (pid ${pid})`);
    console.log(`  initialize -> last diagnostics published: ${startupMs.toFixed(0)} ms`);
    console.log(`  server RSS after load: ${rssAfterLoad.toFixed(0)} MB; peak while typing: ${rssAfterTyping.toFixed(0)} MB (target < ${TARGETS.rssMb} MB: ${mark(rss < TARGETS.rssMb)})`);
    console.log(`  ${burst} edits sent at once, then a hover: answered after ${burstHoverMs.toFixed(0)} ms (target < ${TARGETS.burstHoverMs}: ${mark(burstHoverMs < TARGETS.burstHoverMs)})`);
    console.log(`  keystroke -> diagnostics republished: median ${median.toFixed(1)} ms (target < ${TARGETS.medianMs}: ${mark(median < TARGETS.medianMs)}), p95 ${p95.toFixed(1)} ms (target < ${TARGETS.p95Ms}: ${mark(p95 < TARGETS.p95Ms)}), max ${times[times.length - 1].toFixed(1)} ms`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : err);
      process.exit(1);
    },
  );
}
