/**
 * Online schema change, measured against its peers in the same run on the
 * same data: a 1,000,000-row sysbench-shaped table (id, k, c char(120),
 * pad char(60), index on k) gets the same column added by this engine, by
 * pt-online-schema-change and by ALTER TABLE ... ALGORITHM=COPY. Then, under
 * a steady write load from a second process, the longest write stall at
 * cut-over and at revert, and revert's time end to end.
 * Runs in its own sandbox server. `node --import tsx bench/migration.bench.ts --write-load <json>` is the load process.
 */
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import type { ServerTarget } from '../engine/src/db/target.js';
import { readDeploySchema } from '../engine/src/deploy/live-schema.js';
import { diffTables } from '../engine/src/diff/index.js';
import { OnlineMigration } from '../engine/src/migration/index.js';
import { instantVerdict, runInstant } from '../engine/src/migration/instant.js';
import { openEngineConnection } from '../engine/src/migration/session.js';
import { parseSchemaFile } from '../engine/src/schema/parse.js';
import { Sandbox } from '../engine/src/sandbox/sandbox.js';
import { quoteIdent } from '../engine/src/sql/quote.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const DB = 'bench';
const CHANGE = 'ADD COLUMN `x` int NOT NULL DEFAULT 0';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function open(target: ServerTarget): Promise<Connection> {
  return createConnection({ ...target, database: DB, multipleStatements: true });
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = Date.now();
  const r = await fn();
  return [Date.now() - t, r];
}

async function createSbtest(conn: Connection): Promise<void> {
  await conn.query(`CREATE TABLE sbtest1 (id int NOT NULL AUTO_INCREMENT, k int NOT NULL DEFAULT 0, c char(120) NOT NULL DEFAULT '', pad char(60) NOT NULL DEFAULT '', PRIMARY KEY (id), KEY k_1 (k)) ENGINE=InnoDB`);
  const group = "LPAD(FLOOR(RAND() * 99999999999), 11, '0')";
  const c = `CONCAT_WS('-', ${Array(10).fill(group).join(', ')})`;
  const pad = `CONCAT_WS('-', ${Array(5).fill(group).join(', ')})`;
  await conn.query(`INSERT INTO sbtest1 (k, c, pad) SELECT FLOOR(RAND() * ${ROWS}), ${c}, ${pad} FROM seq_1_to_${ROWS}`);
  for (const n of [2, 3, 4]) {
    await conn.query(`CREATE TABLE sbtest${n} LIKE sbtest1`);
    await conn.query(`INSERT INTO sbtest${n} SELECT * FROM sbtest1`);
  }
}

/** Lets InnoDB flush what the previous step dirtied, so no method pays for the one before it. */
async function settle(conn: Connection): Promise<void> {
  await conn.query('SET GLOBAL innodb_max_dirty_pages_pct = 0');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [r] = await conn.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total')");
    const v = Object.fromEntries((r as { Variable_name: string; Value: string }[]).map((x) => [x.Variable_name, Number(x.Value)]));
    if ((v.Innodb_buffer_pool_pages_dirty ?? 0) < (v.Innodb_buffer_pool_pages_total ?? 0) / 100) break;
    await new Promise((res) => setTimeout(res, 500));
  }
  await conn.query('SET GLOBAL innodb_max_dirty_pages_pct = 90');
}

/**
 * The engine's deploy as the product runs it, with the checksum that precedes
 * every cut-over called on its own (and not again inside cutOver) so its
 * cost is seen next to the copy's.
 */
async function engineDeploy(target: ServerTarget, table: string, id: number): Promise<{ total: number; copy: number; verify: number; m: OnlineMigration; stallMs: number }> {
  const started = Date.now();
  const m = await OnlineMigration.prepare(target, DB, id, [{ table, kind: 'alter_table', statement: `ALTER TABLE ${quoteIdent(table)} ${CHANGE}`, alterSpec: CHANGE, class: 'safe', reasons: [] }], { verifyBeforeCutOver: false });
  const [copy] = await timed(() => m.copy());
  const [verify, v] = await timed(() => m.verify());
  if (!v.ok) throw new Error(`The engine's copy of ${table} does not match it: ${JSON.stringify(v.tables[0]?.differences.slice(0, 3))}`);
  const { stallMs } = await m.cutOver();
  return { total: Date.now() - started, copy, verify, m, stallMs };
}

/** An added nullable column deployed instantly: the server's verdict (probe tables in _schemabranch) plus the ALTER itself. */
async function instantDeploy(target: ServerTarget, table: string): Promise<{ total: number; verdict: number; alter: number; revertible: boolean }> {
  const conn = await openEngineConnection(target);
  try {
    const before = (await readDeploySchema(conn, DB)).tables.find((t) => t.name === table)!;
    const [[shown]] = (await conn.query(`SHOW CREATE TABLE ${quoteIdent(DB)}.${quoteIdent(table)}`)) as unknown as [Record<string, string>[]];
    const afterText = shown!['Create Table']!.replace(/\n\s*PRIMARY KEY/, '\n  `y` int(11) DEFAULT NULL,\n  PRIMARY KEY');
    const after = parseSchemaFile('after.sql', `${afterText};`).tables[0]!;
    const change = diffTables(before, after)!;
    const t0 = Date.now();
    const v = await instantVerdict(conn, DB, [change]);
    const t1 = Date.now();
    if (!v.instant) throw new Error(`Adding a nullable column to ${table} is not instant on this server: ${v.why}`);
    await runInstant(conn, DB, v.forward, { lockWaitSeconds: 0.8, attempts: 5, blockerWaitSeconds: 30 });
    const t2 = Date.now();
    return { total: t2 - t0, verdict: t1 - t0, alter: t2 - t1, revertible: v.revertible };
  } finally {
    await conn.end();
  }
}

/** An added index deployed by the server's online ALTER (the in-server path): the verdict, then the ALTER. */
async function inServerIndex(target: ServerTarget, table: string): Promise<{ total: number; verdict: number }> {
  const conn = await openEngineConnection(target);
  try {
    const before = (await readDeploySchema(conn, DB)).tables.find((t) => t.name === table)!;
    const after: typeof before = { ...before, indexes: [...before.indexes, { name: 'kx', kind: 'index', parts: [{ column: 'x' }] }] };
    const change = diffTables(before, after)!;
    const t0 = Date.now();
    const v = await instantVerdict(conn, DB, [change]);
    const t1 = Date.now();
    if (v.method !== 'in-server') throw new Error(`Adding an index to ${table} is not an in-server change on this server: ${v.why}`);
    await runInstant(conn, DB, v.forward, { lockWaitSeconds: 0.8, attempts: 5, blockerWaitSeconds: 30 });
    return { total: Date.now() - t0, verdict: t1 - t0 };
  } finally {
    await conn.end();
  }
}

function ptOsc(target: ServerTarget, table: string): number {
  const dsn = [`D=${DB}`, `t=${table}`, `u=${target.user}`, target.socketPath ? `S=${target.socketPath}` : `h=${target.host},P=${target.port}`].join(',');
  const started = Date.now();
  const r = spawnSync('pt-online-schema-change', ['--alter', CHANGE, '--execute', '--recursion-method=none', '--no-check-replication-filters', '--quiet', dsn], { encoding: 'utf8' });
  const ms = Date.now() - started;
  if (r.status !== 0) throw new Error(`pt-online-schema-change failed (${r.status}): ${r.stderr || r.stdout || String(r.error)}`);
  return ms;
}

interface LoadReport {
  maxMs: number;
  writes: number;
}

/** The write-load process: 4 connections, one short write every ~5 ms each, every write's start and end kept. */
async function writeLoad(target: ServerTarget, table: string): Promise<void> {
  const writes: { s: number; e: number }[] = [];
  let stop = false;
  const loops = Array.from({ length: 4 }, async (_, w) => {
    const c = await open(target);
    for (let n = 0; !stop; n++) {
      const s = Date.now();
      const id = 1 + ((n * 7919 + w * 104729) % ROWS);
      if (n % 10 === 0) await c.query(`INSERT INTO ${quoteIdent(table)} (k, c, pad) VALUES (?, 'load', 'load')`, [n]);
      else await c.query(`UPDATE ${quoteIdent(table)} SET k = k + 1 WHERE id = ?`, [id]);
      writes.push({ s, e: Date.now() });
      await new Promise((r) => setTimeout(r, 5));
    }
    await c.end();
  });
  process.on('message', (msg: { from?: number; to?: number; stop?: boolean }) => {
    if (msg.stop) {
      stop = true;
      void Promise.all(loops).then(() => process.exit(0));
      return;
    }
    const inWindow = writes.filter((w) => w.s <= msg.to! && w.e >= msg.from!);
    const report: LoadReport = { maxMs: Math.max(0, ...inWindow.map((w) => w.e - w.s)), writes: inWindow.length };
    process.send!(report);
  });
  process.send!({ ready: true });
  await Promise.all(loops);
}

async function main(): Promise<void> {
  // The peer is measured in the same run or the ratios mean nothing: say what to install before loading a million rows.
  if (spawnSync('pt-online-schema-change', ['--version'], { encoding: 'utf8' }).status !== 0) {
    throw new Error('The benchmark compares against pt-online-schema-change, which is not installed. Install it (Debian/Ubuntu: `sudo apt-get install -y percona-toolkit`) and run `npm run bench` again.');
  }
  const sandbox = new Sandbox({ dir: mkdtempSync(join(tmpdir(), 'schemabranch-bench-')), serverArgs: ['--innodb-buffer-pool-size=1536M'] });
  const target = await sandbox.start();
  try {
    const setup = await createConnection({ ...target, multipleStatements: true });
    await setup.query(`CREATE DATABASE ${DB}`);
    await setup.end();
    const conn = await open(target);
    const [loadMs] = await timed(() => createSbtest(conn));
    console.log(`sbtest: ${ROWS} rows x 4 tables loaded in ${seconds(loadMs)} (note: the machine's CPU is shared with other work; compare ratios, not absolutes)`);

    await settle(conn);
    const [native] = await timed(() => conn.query(`ALTER TABLE sbtest3 ${CHANGE}, ALGORITHM=COPY`));
    await settle(conn);
    const pt = ptOsc(target, 'sbtest2');
    await settle(conn);
    const engine = await engineDeploy(target, 'sbtest1', 9001);
    const [[check]] = (await conn.query('SELECT COUNT(*) AS n, SUM(x) AS x FROM sbtest1')) as unknown as [{ n: number; x: string }[]];
    if (Number(check!.n) !== ROWS || Number(check!.x) !== 0) throw new Error(`The engine's sbtest1 has ${check!.n} rows (expected ${ROWS}).`);
    const [finishMs] = await timed(() => engine.m.finish());
    await engine.m.close();
    await settle(conn);
    console.log(`add a column to ${ROWS} rows:`);
    console.log(`  schemabranch engine        ${seconds(engine.total)} to cut-over (copy ${seconds(engine.copy)}, checksum before cut-over ${seconds(engine.verify)} = ${(engine.verify / engine.copy).toFixed(2)}x the copy); closing the revert window (drop old table) ${seconds(finishMs)}`);
    console.log(`  pt-online-schema-change    ${seconds(pt)}`);
    console.log(`  ALTER TABLE ALGORITHM=COPY ${seconds(native)}`);
    console.log(`  engine / pt-osc = ${(engine.total / pt).toFixed(2)}x (target <= 0.80x); engine / native copy = ${(engine.total / native).toFixed(2)}x (target <= 1.50x)`);
    const instant = await instantDeploy(target, 'sbtest1');
    console.log(`  instant deploy (asked of the server, then ALGORITHM=INSTANT) ${instant.total} ms end to end (verdict ${instant.verdict} ms, ALTER ${instant.alter} ms; target < 1000 ms) = ${(instant.total / engine.total).toFixed(3)}x the online copy; revertible: ${instant.revertible}`);
    // An added index: the server's own online ALTER on one copy of the data, schemabranch's in-server deploy on another.
    await settle(conn);
    const [ownIndexMs] = await timed(() => conn.query('ALTER TABLE sbtest3 ADD INDEX `kx` (`x`), ALGORITHM=NOCOPY, LOCK=NONE'));
    await settle(conn);
    const inServer = await inServerIndex(target, 'sbtest2');
    console.log(`add an index to ${ROWS} rows:`);
    console.log(`  server's own online ALTER (NOCOPY, LOCK=NONE) ${seconds(ownIndexMs)}; schemabranch in-server deploy ${seconds(inServer.total)} (verdict ${inServer.verdict} ms) = ${(inServer.total / ownIndexMs).toFixed(2)}x (target <= 1.20x)`);

    // Under load: deploy, keep the window open a moment, then revert.
    const load = fork(__filename, ['--write-load', JSON.stringify(target)], { execArgv: ['--import', 'tsx'] });
    const ask = (from: number, to: number): Promise<LoadReport> =>
      new Promise((resolve) => {
        load.once('message', (r) => resolve(r as LoadReport));
        load.send({ from, to });
      });
    await new Promise<void>((r) => load.once('message', () => r()));
    await new Promise((r) => setTimeout(r, 1000));
    const m = await OnlineMigration.prepare(target, DB, 9002, [{ table: 'sbtest4', kind: 'alter_table', statement: `ALTER TABLE sbtest4 ${CHANGE}`, alterSpec: CHANGE, class: 'safe', reasons: [] }], { verifyBeforeCutOver: false });
    const [copyMs] = await timed(() => m.copy());
    const [verifyMs, verified] = await timed(() => m.verify());
    if (!verified.ok) throw new Error(`The copy of sbtest4 under load does not match it: ${JSON.stringify(verified.tables[0]?.differences.slice(0, 3))}`);
    const baseline = await ask(Date.now() - 2000, Date.now());
    const c0 = Date.now();
    const cut = await m.cutOver();
    const c1 = Date.now();
    m.startWindowSync();
    await new Promise((r) => setTimeout(r, 2000));
    const r0 = Date.now();
    const rev = await m.revert();
    const r1 = Date.now();
    await new Promise((r) => setTimeout(r, 500));
    const atCut = await ask(c0, c1);
    const atRevert = await ask(r0, r1);
    load.send({ stop: true });
    await new Promise((r) => load.once('exit', r));
    await m.close();
    console.log(`under a steady write load (4 connections, ~${Math.round(baseline.writes / 2)} writes/s; longest write during the 2 s before cut-over ${baseline.maxMs} ms):`);
    console.log(`  copy ${seconds(copyMs)}; checksum ${seconds(verifyMs)} (${(verifyMs / copyMs).toFixed(2)}x the copy; ${verified.tables[0]!.inFlight} rows in flight, 0 differences); cut-over call ${c1 - c0} ms (locks held ${cut.stallMs} ms); longest write stall at cut-over ${atCut.maxMs} ms (target < 250 ms)`);
    console.log(`  revert end to end ${r1 - r0} ms (target < 1000 ms; locks held ${rev.stallMs} ms); longest write stall at revert ${atRevert.maxMs} ms (target < 250 ms)`);
    await conn.end();
  } finally {
    await sandbox.destroy();
  }
}

const loadArg = process.argv.indexOf('--write-load');
if (loadArg >= 0) {
  writeLoad(JSON.parse(process.argv[loadArg + 1]!) as ServerTarget, 'sbtest4').catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : err);
      process.exit(1);
    },
  );
}
