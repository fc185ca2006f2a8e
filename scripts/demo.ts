/**
 * `npm run demo`: the whole story on a copy of examples/shop, through the CLI,
 * against a private sandbox server that is started for the demo and removed
 * afterwards. Branch, edit, lint, deploy request, online deploy while an
 * application writes, revert window, revert with every row kept.
 *
 * `--keep` leaves the workspace (and its stopped sandbox) in place.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { loadWorkspaceConfig } from '../engine/src/config/load.js';
import { resolveServer } from '../engine/src/db/connection.js';
import type { ServerTarget } from '../engine/src/db/target.js';

const root = join(__dirname, '..');
const SEED_CUSTOMERS = 200_000;
const BRANCH = 'loyalty';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
let stepNo = 0;

function step(title: string, ...why: string[]): void {
  stepNo += 1;
  console.log(`\n${bold(`${stepNo}. ${title}`)}`);
  for (const w of why) console.log(dim(`   ${w}`));
}

function say(line: string): void {
  console.log(`   ${line}`);
}

/**
 * Runs `schemabranch <args>` as a child process, showing the command and its
 * output as a user would see them (stderr, with the progress bar, goes
 * straight to the terminal). Asynchronous, so the demo's writer keeps writing.
 */
async function cli(dir: string, args: string[], opts: { allowFailure?: boolean; quiet?: boolean } = {}): Promise<{ status: number; stdout: string }> {
  console.log(`\n   $ schemabranch ${args.join(' ')}`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli', 'src', 'main.ts'), '--dir', dir, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  const status = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
  if (!opts.quiet) for (const line of out.trimEnd().split('\n')) if (line) console.log(`   ${line}`);
  if (status !== 0 && !opts.allowFailure) throw new Error(`schemabranch ${args.join(' ')} exited with ${status}`);
  return { status, stdout: out };
}

/** `SELECT n` for n in 1..count, without recursive CTEs (MariaDB and MySQL cap their depth at 1000 by default). */
function numbers(count: number): string {
  const digits = Array.from({ length: 10 }, (_, d) => `SELECT ${d} AS d`).join(' UNION ALL ');
  const places = Math.max(1, Math.ceil(Math.log10(count + 1)));
  const terms = Array.from({ length: places }, (_, k) => `d${k}.d * ${10 ** k}`).join(' + ');
  const from = Array.from({ length: places }, (_, k) => `(${digits}) d${k}`).join(' CROSS JOIN ');
  return `SELECT ${terms} + 1 AS n FROM ${from} WHERE ${terms} < ${count}`;
}

async function connect(target: ServerTarget, database: string): Promise<Connection> {
  return createConnection({ ...target, database, multipleStatements: true });
}

/** Inserts customers one at a time until stopped, like an application would, and remembers every id the server acknowledged. */
function startWriter(conn: Connection, label: string) {
  const acknowledged: number[] = [];
  let errors = 0;
  let stop = false;
  const done = (async () => {
    for (let n = 0; !stop; n++) {
      try {
        const [res] = await conn.query<ResultSetHeader>('INSERT INTO customers (email, full_name) VALUES (?, ?)', [`${label}-${n}-${Date.now()}@example.com`, `Writer ${label} ${n}`]);
        acknowledged.push(res.insertId);
      } catch {
        errors += 1;
      }
    }
  })();
  return {
    acknowledged,
    errors: () => errors,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

async function present(conn: Connection, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const [rows] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM customers WHERE id IN (?)', [ids]);
  return Number(rows[0].n);
}

async function columns(conn: Connection, table: string): Promise<string[]> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [table]);
  return rows.map((r) => String(r.c));
}

async function demo(keep: boolean): Promise<void> {
  const dir = join(mkdtempSync(join(tmpdir(), 'schemabranch-demo-')), 'shop');
  cpSync(join(root, 'examples', 'shop'), dir, { recursive: true });
  console.log(bold('schemabranch demo: branch, deploy online, revert, lose nothing'));
  say(`workspace: ${dir} (a copy of examples/shop)`);

  let conn: Connection | undefined;
  try {
    step('Load main into a private sandbox server', 'No server configured, so schemabranch starts its own MariaDB/MySQL in the workspace.');
    await cli(dir, ['branch', 'push', 'main']);
    const config = loadWorkspaceConfig(dir);
    const target = await resolveServer(dir, config);
    conn = await connect(target, config.database);
    await conn.query(readFileSync(join(dir, 'seed.sql'), 'utf8'));
    await conn.query(`INSERT INTO customers (email, full_name) SELECT CONCAT('customer', n, '@example.com'), CONCAT('Customer ', n) FROM (${numbers(SEED_CUSTOMERS)}) seq`);
    const [count] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM customers');
    say(`seeded examples/shop/seed.sql plus ${SEED_CUSTOMERS.toLocaleString('en-US')} generated customers: ${Number(count[0].n).toLocaleString('en-US')} rows in customers`);

    step(`Create a branch "${BRANCH}"`, 'A branch is schema/<branch>/*.sql plus its own database with main\'s schema.');
    await cli(dir, ['branch', 'create', BRANCH]);

    step('Edit the branch: add a column with an index', `schema/${BRANCH}/customers.sql gets loyalty_tier and an index on it.`);
    const file = join(dir, 'schema', BRANCH, 'customers.sql');
    const text = readFileSync(file, 'utf8')
      .replace(/(\n\s*marketing_opt_in[^\n]*\n)/, `$1  loyalty_tier VARCHAR(16) NOT NULL DEFAULT 'bronze',\n`)
      .replace(/(\n\s*KEY idx_customers_created_at \(created_at\))/, `$1,\n  KEY idx_customers_loyalty_tier (loyalty_tier)`);
    writeFileSync(file, text);
    say('+   loyalty_tier VARCHAR(16) NOT NULL DEFAULT \'bronze\',');
    say('+   KEY idx_customers_loyalty_tier (loyalty_tier)');

    step('Lint the branch, then apply it to the branch database');
    await cli(dir, ['lint', BRANCH], { allowFailure: true });
    await cli(dir, ['branch', 'push', BRANCH]);

    step('Open a deploy request', 'The diff is computed from the live schemas of the branch and main; lint decides whether it is deployable.');
    const created = JSON.parse((await cli(dir, ['deploy-request', 'create', BRANCH, '--json'], { quiet: true })).stdout) as { id: number; changes: Array<{ statement: string }>; lint: { deployable: boolean } };
    say(`deploy request #${created.id}, deployable: ${created.lint.deployable}`);
    for (const c of created.changes) say(`${c.statement};`);
    const id = String(created.id);

    step(`Deploy #${id} online while the application keeps writing`, 'Rows are copied into a shadow table in chunks; triggers capture concurrent writes; the cut-over is one atomic RENAME.');
    const writerConn = await connect(target, config.database);
    const during = startWriter(writerConn, 'during-deploy');
    await cli(dir, ['deploy-request', 'deploy', id]);
    await during.stop();
    await writerConn.end();
    const seen = await present(conn, during.acknowledged);
    say(`the writer inserted ${during.acknowledged.length} customers during the deploy (${during.errors()} errors); ${seen} of them are in the new table`);
    say(`customers now has: ${(await columns(conn, 'customers')).join(', ')}`);

    step('The revert window is open', 'The old table is kept in sync, so revert is a swap, not a copy.');
    await cli(dir, ['deploy-request', 'show', id]);

    step('The application writes with the new schema');
    const [ins] = await conn.query<ResultSetHeader>(
      "INSERT INTO customers (email, full_name, loyalty_tier) VALUES ('ada@example.com', 'Ada', 'gold'), ('grace@example.com', 'Grace', 'silver'), ('linus@example.com', 'Linus', 'gold')",
    );
    const after = [ins.insertId, ins.insertId + 1, ins.insertId + 2];
    say(`inserted customers ${after.join(', ')} with loyalty tiers`);

    step(`Revert #${id}`, 'Something is wrong with the release: put the old schema back.');
    await cli(dir, ['deploy-request', 'revert', id]);
    say(`customers now has: ${(await columns(conn, 'customers')).join(', ')}`);
    const kept = (await present(conn, during.acknowledged)) + (await present(conn, after));
    const total = during.acknowledged.length + after.length;
    say(bold(`${kept} of ${total} rows written during the deploy and the revert window are still there${kept === total ? ': nothing was lost.' : ': ROWS WERE LOST.'}`));
    if (kept !== total) process.exitCode = 1;

    step('All deploy requests');
    await cli(dir, ['deploy-request', 'list']);
  } finally {
    await conn?.end();
    await cli(dir, ['sandbox', 'stop'], { allowFailure: true, quiet: true });
    if (keep) console.log(`\nKept the workspace: ${dir}`);
    else rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}

demo(process.argv.slice(2).includes('--keep')).then(
  () => undefined,
  (err: unknown) => {
    console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
