/**
 * Instant deploys (issue 11): when the server can make a request's whole
 * change by editing table metadata, without copying a row, the request can be
 * deployed that way. Whether it can is asked of the server, never looked up
 * in a hand-kept table of rules: each ALTER runs with ALGORITHM=INSTANT on an
 * empty copy of its table (CREATE TABLE ... LIKE, in the engine's own
 * database), and so does the statement that would undo it.
 */
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import { diffTables, type SchemaChange } from '../diff/index.js';
import { quoteQualified } from '../sql/quote.js';
import { waitForQuiet, type Blocker } from './blockers.js';
import { isLockTimeout, lockWithin, supportsStatementTimeLimit } from './cutover-lock.js';
import { METADATA_DB } from './names.js';
import { sleep, threadId } from './session.js';

export interface InstantVerdict {
  /** Every change can be made by the server's own path, without the engine's row copy. */
  instant: boolean;
  /**
   * That path: 'instant' edits metadata only; 'in-server' is the server's
   * online ALTER without a table copy (MariaDB's ALGORITHM=NOCOPY, LOCK=NONE:
   * e.g. building an index while writes go on).
   */
  method?: 'instant' | 'in-server';
  /** The statements that make the change, in order (empty when not instant). */
  forward: InstantStatement[];
  /** And undone the same way without losing a value written before the deploy. */
  revertible: boolean;
  /** One sentence for the person choosing: why (not) instant, why (not) revertible. */
  why: string;
  /** The statements that undo the deploy, in order (empty when not revertible). */
  inverse: InstantStatement[];
}

/** One instant ALTER and the table it changes. */
export interface InstantStatement {
  table: string;
  sql: string;
  /** The server works through the table (an online ALTER): its lock waits are bounded, its run time is not. */
  online?: boolean;
}

const INSTANT = 'ALGORITHM=INSTANT';

/** The server's own paths, cheapest first. NOCOPY is MariaDB's (10.3+): online, and the table is not rebuilt. */
const PATHS = [
  { method: 'instant', clause: INSTANT },
  { method: 'in-server', clause: 'ALGORITHM=NOCOPY, LOCK=NONE' },
] as const;

/** The first of the server's paths that makes `spec` on `probe`, or the server's refusals when none does. */
async function firstPath(conn: Connection, probe: string, spec: string): Promise<{ path?: (typeof PATHS)[number]; refused: string }> {
  const refused: string[] = [];
  for (const path of PATHS) {
    const why = await tryClause(conn, probe, spec, path.clause);
    if (why === undefined) return { path, refused: '' };
    refused.push(why);
  }
  // The last refusal is the most telling: INSTANT's says only that a heavier algorithm is needed.
  return { refused: refused[refused.length - 1] ?? '' };
}

/** Asks the server whether `changes` can be deployed instantly, and undone instantly. Leaves nothing behind. */
export async function instantVerdict(conn: Connection, database: string, changes: SchemaChange[]): Promise<InstantVerdict> {
  const no = (why: string): InstantVerdict => ({ instant: false, revertible: false, why, forward: [], inverse: [] });
  if (changes.length === 0) return no('there is nothing to change');
  const object = changes.find((c) => c.object);
  if (object) return no(`it changes ${object.object!.kind} ${object.object!.name}, which the online deploy applies at its cut-over and puts back at revert (a table's triggers move under its locks)`);
  const other = changes.find((c) => c.kind !== 'alter_table');
  if (other) return no(`it ${other.kind === 'create_table' ? 'creates' : 'drops'} table ${other.table}, which the online copy keeps revertible`);
  const keyed = changes.find((c) => c.foreignKeys && (c.foreignKeys.added.length || c.foreignKeys.dropped.length));
  if (keyed) return no(`it changes foreign keys of ${keyed.table}`);
  const inverse: InstantStatement[] = [];
  const forward: InstantStatement[] = [];
  const notRevertible: string[] = [];
  let inServer = false;
  for (const c of changes) {
    if (!c.alterSpec || !c.before || !c.after) return no(`the change to ${c.table} is not a single ALTER`);
    const undo = diffTables(c.after, c.before);
    const probe = `instant_probe_${randomBytes(4).toString('hex')}`;
    await conn.query(`CREATE TABLE ${quoteQualified(METADATA_DB, probe)} LIKE ${quoteQualified(database, c.table)}`);
    try {
      const ahead = await firstPath(conn, probe, c.alterSpec);
      if (!ahead.path) return no(`the server cannot change ${c.table} without a copy (${ahead.refused})`);
      inServer ||= ahead.path.method === 'in-server';
      forward.push({ table: c.table, sql: `ALTER TABLE ${quoteQualified(database, c.table)} ${c.alterSpec}, ${ahead.path.clause}`, ...(ahead.path.method === 'in-server' ? { online: true } : {}) });
      // Values a deploy drops (a column, a narrower type) cannot come back by editing metadata.
      const loses = c.reasons.find((r) => r.class === 'destructive' || r.class === 'data-dependent');
      if (loses) notRevertible.push(`${c.table}: ${loses.message}`);
      else if (!undo?.alterSpec) notRevertible.push(`${c.table}: no statement undoes it`);
      else {
        const back = await firstPath(conn, probe, undo.alterSpec);
        if (!back.path) notRevertible.push(`${c.table}: the server cannot undo it without a copy (${back.refused})`);
        else inverse.unshift({ table: c.table, sql: `ALTER TABLE ${quoteQualified(database, c.table)} ${undo.alterSpec}, ${back.path.clause}`, ...(back.path.method === 'in-server' ? { online: true } : {}) });
      }
    } finally {
      await conn.query(`DROP TABLE IF EXISTS ${quoteQualified(METADATA_DB, probe)}`);
    }
  }
  const method = inServer ? 'in-server' : 'instant';
  // What the in-server path costs, said before anyone chooses it.
  const how = inServer
    ? "in the server, online: it builds what the change needs while writes go on, with no copy by schemabranch; replicas apply it as one long statement, so they lag for as long as it runs"
    : 'instant: the server changes only table metadata';
  if (notRevertible.length) return { instant: true, method, revertible: false, why: `${how}; not revertible: ${notRevertible.join('; ')}`, forward, inverse: [] };
  return { instant: true, method, revertible: true, why: `${how}; reverting does the same`, forward, inverse };
}

/** The server's refusal of `spec` with `clause` on table `probe`, or undefined when it made the change. */
async function tryClause(conn: Connection, probe: string, spec: string, clause: string): Promise<string | undefined> {
  try {
    await conn.query(`ALTER TABLE ${quoteQualified(METADATA_DB, probe)} ${spec}, ${clause}`);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export interface InstantOptions {
  /** Longest wait of one attempt for the table's metadata lock (writes queue meanwhile). */
  lockWaitSeconds: number;
  attempts: number;
  /** How long to wait, holding no lock, for connections that hold the tables. */
  blockerWaitSeconds: number;
  onBlocked?: (blockers: Blocker[]) => void;
}

/**
 * Runs instant ALTERs the way the cut-over takes its locks: first wait,
 * holding nothing, for connections that hold the tables; then ask for the
 * metadata lock with a short budget (writes queue only that long) and try
 * again with back-off. The statements carry ALGORITHM=INSTANT, so the server
 * refuses rather than copy. Returns what the writes waited in all.
 */
export async function runInstant(conn: Connection, database: string, statements: InstantStatement[], opts: InstantOptions): Promise<{ stallMs: number }> {
  const fractional = await supportsStatementTimeLimit(conn);
  const me = [await threadId(conn)];
  let stallMs = 0;
  for (const s of statements) {
    const deadline = Date.now() + opts.blockerWaitSeconds * 1000;
    for (let attempt = 1; ; attempt++) {
      await waitForQuiet(conn, [{ db: database, name: s.table }], me, deadline, opts.onBlocked);
      const asked = Date.now();
      try {
        // An online ALTER runs as long as the table takes: bound its lock waits (whole seconds), never its run.
        if (s.online) await withLockWait(conn, opts.lockWaitSeconds, () => conn.query(s.sql));
        else await lockWithin(conn, s.sql, opts.lockWaitSeconds * 1000, fractional);
        stallMs += Date.now() - asked;
        break;
      } catch (err) {
        stallMs += Date.now() - asked;
        if (!isLockTimeout(err) || attempt >= opts.attempts) throw err;
        await sleep(Math.min(5000, 250 * 2 ** (attempt - 1)));
      }
    }
  }
  return { stallMs };
}

async function withLockWait(conn: Connection, seconds: number, run: () => Promise<unknown>): Promise<void> {
  const [[was]] = (await conn.query('SELECT @@SESSION.lock_wait_timeout AS w')) as unknown as [[{ w: number }]];
  await conn.query('SET SESSION lock_wait_timeout = ?', [Math.max(1, Math.ceil(seconds))]);
  try {
    await run();
  } finally {
    await conn.query('SET SESSION lock_wait_timeout = ?', [Number(was.w)]);
  }
}
