/**
 * Hostile input benchmark: worst-case reading times of adversarial schema files and
 * schemabranch.json files (test/support/hostile-inputs.ts), each against a linear
 * baseline measured in the same run:
 *  - schema files at 512 KB (the largest file the server and the CLI read): parse + lint
 *    rules, against an ordinary 512 KB file of CREATE TABLE statements;
 *  - configs (20,000 keys, 100,000 levels of nesting, ...): read + validate, against a
 *    valid config of the same size.
 * Each input is read three times and the fastest run is shown (the CPU is shared: the
 * minimum is what the code costs, the rest is other processes), cold: after a full
 * garbage collection and with node-sql-parser's cache of accepted statements emptied. The last column is the time at a quarter of the size
 * divided into the time at full size: about 4 means linear, 16 quadratic (noisy below
 * ~50 ms; and below 1 where the quarter still fits node-sql-parser's budget).
 * Target: every input under 1 s.
 *
 * Run: `npm run bench -- hostile`. Options: --kb N (schema size, default 512).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { checkWorkspaceConfig } from '../engine/src/config/load.js';
import { lintSchema } from '../engine/src/lint/index.js';
import { resetGrammarCache } from '../engine/src/schema/grammar-check.js';
import { parseSchemaFile } from '../engine/src/schema/parse.js';
import { hostileConfigs, hostileSchemas } from '../test/support/hostile-inputs.js';

const TARGET_MS = 1000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function fastest(run: () => void, times = 3): number {
  let best = Infinity;
  for (let k = 0; k < times; k++) {
    resetGrammarCache();
    gc();
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function readSchema(text: string): string {
  const parsed = parseSchemaFile('hostile.sql', text);
  lintSchema({ tables: parsed.tables }, {}, undefined, { 'hostile.sql': text });
  const codes = [...new Set(parsed.problems.map((p) => p.code))];
  return `${parsed.tables.length} tables${codes.length ? `, ${codes.join(', ')}` : ''}`;
}

function readConfig(text: string): string {
  const problems = checkWorkspaceConfig(text);
  return problems.length === 0 ? 'valid' : `${problems.length} problems: ${problems[0].message.slice(0, 50)}`;
}

function row(name: string, bytes: number, ms: number, baselineMs: number, quarterMs: number, outcome: string): string {
  const mark = ms < TARGET_MS ? 'ok' : 'OVER TARGET';
  return `  ${name.padEnd(36)} ${(bytes / 1024).toFixed(0).padStart(6)} KB ${ms.toFixed(0).padStart(6)} ms  x${(ms / baselineMs).toFixed(2).padStart(5)} baseline  x${(ms / quarterMs).toFixed(1).padStart(4)} for 4x size  ${mark}  (${outcome})`;
}

function main(): number {
  const bytes = arg('kb', 512) * 1024;
  let over = 0;

  // Warm up the JIT and grow the heap first, so the baseline is not slow by accident.
  for (const make of Object.values(hostileSchemas)) readSchema(make(4096));
  const baselineText = hostileSchemas['ordinary tables'](bytes);
  for (let k = 0; k < 2; k++) readSchema(baselineText);
  const baselineMs = fastest(() => readSchema(baselineText));
  console.log(`hostile schema files (${bytes / 1024} KB each, parse + lint; baseline: ordinary tables, ${baselineMs.toFixed(0)} ms)`);
  for (const [name, make] of Object.entries(hostileSchemas)) {
    if (name === 'ordinary tables') continue;
    const text = make(bytes);
    const quarter = make(bytes / 4);
    let outcome = '';
    const ms = fastest(() => (outcome = readSchema(text)));
    const quarterMs = fastest(() => readSchema(quarter));
    if (ms >= TARGET_MS) over++;
    console.log(row(name, text.length, ms, baselineMs, quarterMs, outcome));
  }

  const configSizes: Record<string, number> = { 'many keys': 20_000, 'deep arrays': 100_000, 'deep objects': 100_000, 'long number array': 100_000, 'unclosed array': 100_000 };
  for (const [name, n] of Object.entries(configSizes)) {
    const text = hostileConfigs[name](n);
    // A valid config of the same size: the charset list, long enough.
    const charsets = Array.from({ length: Math.ceil(text.length / 12) }, (_, k) => `"cs${k}"`).join(', ');
    const baseline = `{"lint": {"charsets": [${charsets}]}}`;
    const configBaselineMs = fastest(() => readConfig(baseline));
    const quarterText = hostileConfigs[name](n / 4);
    let outcome = '';
    const ms = fastest(() => (outcome = readConfig(text)));
    const quarterMs = fastest(() => readConfig(quarterText));
    if (ms >= TARGET_MS) over++;
    if (name === 'many keys') console.log(`schemabranch.json (read + validate; baseline: a valid config of the same size)`);
    console.log(row(`${name} (${n.toLocaleString('en')})`, text.length, ms, configBaselineMs, quarterMs, outcome));
  }
  console.log(over === 0 ? `every input under ${TARGET_MS} ms` : `${over} inputs OVER the ${TARGET_MS} ms target`);
  return 0;
}

if (require.main === module) {
  try {
    process.exit(main());
  } catch (err) {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  }
}
