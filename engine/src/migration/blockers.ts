/**
 * Who holds the tables a swap or a cleanup needs: the connections the engine
 * waits for *before* it asks for a metadata lock, because a lock request that
 * waits makes every application write to the table queue behind it.
 *
 * The server says who holds a table's metadata lock when the
 * metadata_lock_info plugin (MariaDB) or performance_schema's metadata_locks
 * (MySQL) is on. Without either, the engine goes by what is visible:
 * transactions idle or open for a second or more, and statements running for
 * a second or more that name the table. Connections merely queued for the
 * lock are never blockers: they wait for the same thing the engine waits for.
 */
import type { Connection } from 'mysql2/promise';
import { errno, rows, sleep } from './session.js';
import { lockTablesWrite } from './sql.js';

export interface TableRef {
  db: string;
  name: string;
}

export interface Blocker {
  id: number;
  user: string;
  host: string;
  seconds: number;
  state: string | null;
  info: string | null;
  /** The connection's default database. */
  db: string | null;
}

/**
 * How long each connection has been in its current command (idle, or one
 * statement), in seconds: MariaDB's TIME_MS to the millisecond; elsewhere
 * TIME, whole seconds between truncated timestamps.
 */
const STATE_SECONDS = { precise: 'p.TIME_MS / 1000', whole: 'p.TIME' } as const;

/** Who is on the server, with the transaction each connection has open (needs PROCESS to see other users). */
export function readConnections(stateSeconds: string): string {
  return (
    `SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.COMMAND AS command, COALESCE(TIMESTAMPDIFF(SECOND, t.trx_started, NOW()), p.TIME) AS seconds, ${stateSeconds} AS in_state, p.STATE AS state, COALESCE(t.trx_query, p.INFO) AS info, p.DB AS db, t.trx_id IS NOT NULL AS in_trx, t.trx_id AS trx ` +
    'FROM information_schema.PROCESSLIST p LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID ' +
    "WHERE p.ID <> CONNECTION_ID() AND p.COMMAND NOT IN ('Daemon', 'Binlog Dump') ORDER BY seconds DESC"
  );
}

/** The same without INNODB_TRX (which needs PROCESS): idle transactions are then invisible. */
export function readConnectionsWithoutTrx(stateSeconds: string): string {
  return (
    `SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.COMMAND AS command, p.TIME AS seconds, ${stateSeconds} AS in_state, p.STATE AS state, p.INFO AS info, p.DB AS db, 0 AS in_trx, NULL AS trx ` +
    "FROM information_schema.PROCESSLIST p WHERE p.ID <> CONNECTION_ID() AND p.COMMAND NOT IN ('Daemon', 'Binlog Dump') ORDER BY seconds DESC"
  );
}

/** Threads holding a metadata lock on any of `count` tables (MariaDB's metadata_lock_info plugin). Params: [db, table] per table. */
export function readLockHoldersPlugin(count: number): string {
  const one = '(TABLE_SCHEMA = ? AND TABLE_NAME = ?)';
  return `SELECT DISTINCT THREAD_ID AS id FROM information_schema.METADATA_LOCK_INFO WHERE ${Array(count).fill(one).join(' OR ')}`;
}

/** Threads holding a granted metadata lock on any of `count` tables (MySQL's performance_schema). Params: [db, table] per table. */
export function readLockHoldersPerformanceSchema(count: number): string {
  const one = '(m.OBJECT_SCHEMA = ? AND m.OBJECT_NAME = ?)';
  return (
    'SELECT DISTINCT t.PROCESSLIST_ID AS id FROM performance_schema.metadata_locks m JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID ' +
    `WHERE m.OBJECT_TYPE = 'TABLE' AND m.LOCK_STATUS = 'GRANTED' AND (${Array(count).fill(one).join(' OR ')})`
  );
}

export type Source = 'plugin' | 'performance_schema' | 'visible';

/** Which way this server can say who holds a metadata lock. */
async function lockSource(conn: Connection): Promise<Source> {
  const plugin = await rows<{ n: number }>(conn, "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = 'METADATA_LOCK_INFO'");
  if (Number(plugin[0]?.n) > 0) return 'plugin';
  const ps = await rows<{ n: number }>(conn, "SELECT COUNT(*) AS n FROM performance_schema.setup_instruments WHERE NAME = 'wait/lock/metadata/sql/mdl' AND ENABLED = 'YES'").catch(() => []);
  return Number(ps[0]?.n) > 0 ? 'performance_schema' : 'visible';
}

interface Seen extends Blocker {
  command: string;
  inTrx: boolean;
  /** Whether inState is to the millisecond (MariaDB's TIME_MS) rather than whole seconds. */
  inStatePrecise: boolean;
  /** The open transaction's id, when the server shows it: the same id twice is the same transaction. */
  trx: string | null;
  /** Seconds in the current command (idle, or running one statement). */
  inState: number;
}

/** Servers known to have no TIME_MS (MySQL): asked once per connection. */
const wholeSecondsOnly = new WeakSet<Connection>();

async function connections(conn: Connection): Promise<Seen[]> {
  type Row = { id: number; user: string; host: string; command: string; seconds: number | null; in_state: number | string | null; state: string | null; info: string | null; db: string | null; in_trx: number | string; trx: string | number | null };
  const read = async (precise: boolean): Promise<Row[]> => {
    const state = precise ? STATE_SECONDS.precise : STATE_SECONDS.whole;
    return rows<Row>(conn, readConnections(state)).catch(async (err: unknown) => {
      if (errno(err) !== 1227) throw err; // access denied: no PROCESS privilege
      return rows<Row>(conn, readConnectionsWithoutTrx(state));
    });
  };
  let precise = !wholeSecondsOnly.has(conn);
  const r = await read(precise).catch(async (err: unknown) => {
    if (!precise || errno(err) !== 1054) throw err; // unknown column TIME_MS: not MariaDB
    wholeSecondsOnly.add(conn);
    precise = false;
    return read(false);
  });
  return r.map((b) => ({
    id: Number(b.id),
    user: b.user,
    host: b.host,
    command: b.command,
    seconds: Number(b.seconds ?? 0),
    inState: Number(b.in_state ?? 0),
    inStatePrecise: precise,
    state: b.state,
    info: b.info,
    db: b.db,
    inTrx: Number(b.in_trx) === 1,
    trx: b.trx === null ? null : String(b.trx),
  }));
}

/**
 * Whether a statement's text names one of the tables (as a word, quoted or
 * not), and not as a table of another database (`other`.`name`, or
 * unqualified on a connection whose default database is another).
 */
export function namesTable(info: string | null, tables: TableRef[], defaultDb: string | null = null): boolean {
  if (!info) return false;
  const esc = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return tables.some((t) => {
    const re = new RegExp(`(?:(\`[^\`]+\`|[A-Za-z0-9_$]+)\\.)?\`?${esc(t.name)}\`?(?![A-Za-z0-9_$])`, 'gi');
    for (const m of info.matchAll(re)) {
      const before = info[m.index - 1];
      if (before !== undefined && /[A-Za-z0-9_$]/.test(before)) continue;
      const db = m[1]?.replace(/^`|`$/g, '');
      const inDb = db ?? defaultDb;
      if (inDb === null || inDb.toLowerCase() === t.db.toLowerCase()) return true;
    }
    return false;
  });
}

/**
 * Ages in whole seconds are counted between truncated timestamps
 * (INNODB_TRX.trx_started has no fraction), so a 10 ms autocommit write that
 * straddles a second boundary reads as 1 s old: only 2 proves a second.
 */
const surelyASecond = (seconds: number): boolean => seconds >= 2;

/** A second in the current command (idle, or one statement), by the most precise clock the server gives. */
const aSecondInState = (s: Seen): boolean => (s.inStatePrecise ? s.inState >= 1 : surelyASecond(s.inState));

const queued = (s: Seen): boolean => /^Waiting for table metadata lock/i.test(s.state ?? '');

/**
 * The connections that hold (or, when the server cannot say, may hold) the
 * tables for a second or more. A statement that has just started holds the
 * table too, but is done before a lock attempt's budget runs out: it is not a
 * blocker. `confirmed` is true when the server itself named the holders.
 */
export async function tableBlockers(conn: Connection, tables: TableRef[], exclude: number[], source?: Source): Promise<{ blockers: Blocker[]; confirmed: boolean }> {
  const how = source ?? (await lockSource(conn));
  const strip = ({ command: _c, inTrx: _t, inState: _s, inStatePrecise: _p, trx: _x, ...b }: Seen): Blocker => b;
  const first = await suspects(conn, tables, exclude, how);
  if (first.length === 0) return { blockers: [], confirmed: how !== 'visible' };
  // Writes that queued behind a lock attempt run the moment it gives up, and one sample can catch them mid-commit.
  // A holder is still there, in the same transaction or the same statement, a moment later.
  await sleep(SECOND_LOOK_MS);
  const again = new Map((await suspects(conn, tables, exclude, how)).map((s) => [s.id, s]));
  const held = first.filter((s) => {
    const later = again.get(s.id);
    return later !== undefined && later.trx === s.trx && (s.trx !== null || later.info === s.info);
  });
  if (how === 'visible' && held.length && (await freeNow(conn, tables))) return { blockers: [], confirmed: false };
  return { blockers: held.map((s) => strip(again.get(s.id)!)), confirmed: how !== 'visible' };
}

/** How long apart the two looks at a suspect are: far longer than an ordinary write, short beside a lock attempt. */
const SECOND_LOOK_MS = 250;

/** One look at who holds (or, when the server cannot say, may hold) the tables, by the rules above. */
async function suspects(conn: Connection, tables: TableRef[], exclude: number[], how: Source): Promise<Seen[]> {
  const seen = (await connections(conn)).filter((s) => !exclude.includes(s.id) && !queued(s));
  // A transaction a second old, or a second in one state (idle, one statement): an autocommit write is neither.
  const lasting = (s: Seen): boolean => (s.inTrx && surelyASecond(s.seconds)) || aSecondInState(s);
  if (how !== 'visible') {
    const params = tables.flatMap((t) => [t.db, t.name]);
    const sql = how === 'plugin' ? readLockHoldersPlugin(tables.length) : readLockHoldersPerformanceSchema(tables.length);
    const holders = new Set((await rows<{ id: number }>(conn, sql, params)).map((h) => Number(h.id)));
    return seen.filter((s) => holders.has(s.id) && lasting(s));
  }
  // Idle a second inside a transaction is the classic holder, whatever the transaction's whole-second age says.
  const open = (s: Seen): boolean => s.inTrx && (surelyASecond(s.seconds) || (s.command === 'Sleep' && aSecondInState(s)));
  const longQuery = (s: Seen): boolean => s.command === 'Query' && aSecondInState(s) && namesTable(s.info, tables, s.db);
  // An open transaction does not say which tables it holds: freeNow (above) clears them all when the lock is free.
  return seen.filter((s) => open(s) || longQuery(s));
}

/**
 * Whether the tables' metadata locks can be had right now, asked with
 * MariaDB's zero lock wait (a request that cannot be granted fails at once,
 * so it never makes writes queue). Granted, it is released at once. A few
 * tries, because ordinary writes hold the tables for a moment each.
 */
async function freeNow(conn: Connection, named: TableRef[]): Promise<boolean> {
  const tables = [...new Map(named.map((t) => [`${t.db}.${t.name}`, t])).values()];
  const [v] = await rows<{ v: string; w: number }>(conn, 'SELECT VERSION() AS v, @@SESSION.lock_wait_timeout AS w');
  if (!/mariadb/i.test(v?.v ?? '')) return false;
  try {
    await conn.query('SET SESSION lock_wait_timeout = 0');
    for (let i = 0; i < 5; i++) {
      try {
        await conn.query(lockTablesWrite(tables));
        await conn.query('UNLOCK TABLES');
        return true;
      } catch (err) {
        if (errno(err) !== 1205) throw err;
        await sleep(10);
      }
    }
    return false;
  } finally {
    await conn.query('SET SESSION lock_wait_timeout = ?', [Number(v?.w ?? 1)]);
  }
}

/**
 * Waits, holding no lock, until nothing holds the tables or the deadline
 * passes; returns what still holds them then (empty when quiet).
 */
export async function waitForQuiet(
  conn: Connection,
  tables: TableRef[],
  exclude: number[],
  deadline: number,
  onWait?: (blockers: Blocker[]) => void,
): Promise<{ blockers: Blocker[]; confirmed: boolean }> {
  for (let told = false; ; ) {
    const now = await tableBlockers(conn, tables, exclude);
    if (now.blockers.length === 0 || Date.now() >= deadline) return now;
    if (!told) onWait?.(now.blockers);
    told = true;
    await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
  }
}

export function describeBlocker(b: Blocker): string {
  const what = b.info ? `, running ${JSON.stringify(b.info.slice(0, 120))}` : ', idle inside an open transaction';
  return `connection ${b.id} (${b.user}@${b.host}, open ${b.seconds} s${what})`;
}

/**
 * Kills the connections that hold the tables (the swap's opt-in aggressive
 * mode). Where the server names the holders, all of them; where it cannot, a
 * suspect is killed only when it can be tied to these tables: a statement that
 * names one of them, or a transaction on a connection whose default database
 * is the migration's. An open transaction elsewhere may be someone's unrelated
 * work, so it is named but never killed. Returns who was killed.
 */
export async function killBlockers(conn: Connection, db: string, tables: TableRef[], found: { blockers: Blocker[]; confirmed: boolean }): Promise<Blocker[]> {
  const killed: Blocker[] = [];
  for (const b of found.blockers) {
    const tied = found.confirmed || namesTable(b.info, tables, b.db) || b.db?.toLowerCase() === db.toLowerCase();
    if (!tied) continue;
    try {
      await conn.query(`KILL CONNECTION ${Number(b.id)}`);
      killed.push(b);
    } catch (err) {
      // 1094: it ended by itself; 1095: not ours to kill without CONNECTION ADMIN (it stays named).
      if (errno(err) !== 1094 && errno(err) !== 1095) throw err;
    }
  }
  return killed;
}
