/**
 * `npm run bench`: runs every bench/*.bench.ts, one after another (never in
 * parallel: each measures wall time on a shared machine), and fails if any fails.
 * Arguments narrow the run: `npm run bench -- migration`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filters = process.argv.slice(2);
const benches = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, file)], { stdio: 'inherit', cwd: join(__dirname, '..') });
  const ok = run.status === 0;
  if (!ok) failed++;
  console.log(`=== ${file}: ${ok ? 'done' : `FAILED (exit ${run.status ?? run.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
}
if (benches.length === 0) console.log('No bench/*.bench.ts files matched.');
process.exit(failed ? 1 : 0);
