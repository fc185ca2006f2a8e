/**
 * `npm test`: starts one private sandbox server for the whole run, runs every
 * *.test.ts with node's test runner against it, then removes the sandbox.
 * Arguments narrow the run to files or folders: `npm test -- engine/test/diff`.
 *
 * No test can hang CI: each test has a time limit (SCHEMABRANCH_TEST_TIMEOUT_MS,
 * default 300 s) and the whole run one too
 * (SCHEMABRANCH_TEST_RUN_LIMIT_MS, default 30 min).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Sandbox } from '../engine/src/sandbox/sandbox.js';

const root = join(__dirname, '..');
const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['engine/test', 'cli/test', 'server/test', 'client/test', 'test/unit', 'syntaxes/test'];

function collect(path: string, out: string[]): void {
  const abs = join(root, path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    return;
  }
  if (st.isFile()) {
    out.push(abs);
    return;
  }
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'fixtures') continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) collect(child, out);
    else if (entry.name.endsWith('.test.ts')) out.push(join(root, child));
  }
}

// node's runner applies the limit to each test file as a whole too: the corpus files (a deploy per
// schema, 11 schemas) take 60-100 s on a quiet 2-core machine and went past 120 s on a loaded one.
const TEST_TIMEOUT_MS = Number(process.env.SCHEMABRANCH_TEST_TIMEOUT_MS ?? 300_000);
// One test file at a time by default: the migration tests measure stalls and name
// the connections that block a cut-over, and on a 2-core machine another file's
// writers and engine connections made them fail now and then (seen in CI runs).
const CONCURRENCY = Number(process.env.SCHEMABRANCH_TEST_CONCURRENCY ?? 1);
const RUN_LIMIT_MS = Number(process.env.SCHEMABRANCH_TEST_RUN_LIMIT_MS ?? 30 * 60_000);

const files: string[] = [];
for (const r of roots) collect(r, files);
if (files.length === 0) {
  console.error(`No test files under ${roots.join(', ')}.`);
  process.exit(1);
}

async function main(): Promise<number> {
  const sandbox = new Sandbox({ dir: mkdtempSync(join(tmpdir(), 'schemabranch-test-')) });
  const started = Date.now();
  const target = await sandbox.start();
  console.log(`sandbox server ready in ${Date.now() - started} ms (${target.socketPath}); ${files.length} test files`);

  let status = 1;
  try {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        `--test-concurrency=${CONCURRENCY}`,
        `--test-timeout=${TEST_TIMEOUT_MS}`,
        ...files.map((f) => relative(root, f)),
      ],
      { cwd: root, stdio: 'inherit', timeout: RUN_LIMIT_MS, killSignal: 'SIGKILL', env: { ...process.env, SCHEMABRANCH_TEST_SERVER: JSON.stringify(target) } },
    );
    if (run.error) console.error(`test run stopped: ${run.error.message} (limit ${RUN_LIMIT_MS / 60_000} min)`);
    status = run.status ?? 1;
  } finally {
    await sandbox.destroy();
  }
  return status;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
