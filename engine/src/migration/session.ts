import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { connectionOptions } from '../db/connection.js';
import type { ServerTarget } from '../db/target.js';
import { ENGINE_SESSION_VAR } from './names.js';
import { BACKSLASH_ESCAPES_ON } from '../sql/quote.js';

/**
 * A connection the migration engine writes through. Its session variable keeps
 * its writes out of the changelogs; READ COMMITTED makes INSERT ... SELECT a
 * non-locking read of the source table; strict mode makes a value that does
 * not fit fail instead of being silently truncated.
 */
export type EngineConnection = Connection;

/** Runs `use` on an engine session of its own, closed afterwards whatever happens. */
export async function withEngineConnection<T>(target: ServerTarget, use: (conn: EngineConnection) => Promise<T>): Promise<T> {
  const conn = await openEngineConnection(target);
  try {
    return await use(conn);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

export async function openEngineConnection(target: ServerTarget, opts: { lockWaitSeconds?: number; skipBinlog?: boolean } = {}): Promise<EngineConnection> {
  const conn = await createConnection({ ...connectionOptions(target), bigNumberStrings: true });
  await conn.query(BACKSLASH_ESCAPES_ON);
  await conn.query(`SET ${ENGINE_SESSION_VAR} = 1`);
  await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  await conn.query("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@sql_mode, ''), 'STRICT_ALL_TABLES')");
  // MariaDB turns a long IN list into a join with a derived table, which inside INSERT ... SELECT scans the whole source table (MySQL has no such variable).
  await conn.query('SET SESSION in_predicate_conversion_threshold = 0').catch(() => undefined);
  if (opts.lockWaitSeconds !== undefined) {
    // Whole seconds only: a shorter budget for the cut-over's own lock is set per statement (cutover-lock.ts).
    await conn.query('SET SESSION lock_wait_timeout = ?', [Math.max(1, Math.ceil(opts.lockWaitSeconds))]);
    await conn.query('SET SESSION innodb_lock_wait_timeout = ?', [Math.max(1, Math.ceil(opts.lockWaitSeconds))]);
  }
  if (opts.skipBinlog) {
    // Needs SUPER/BINLOG ADMIN; without it the copy is simply logged.
    await conn.query('SET SESSION sql_log_bin = 0').catch(() => undefined);
  }
  return conn;
}

export async function rows<T>(conn: Connection, sql: string, params: unknown[] = []): Promise<T[]> {
  const [r] = await conn.query<RowDataPacket[]>(sql, params);
  return r as unknown as T[];
}

export async function arrays(conn: Connection, sql: string, params: unknown[] = []): Promise<unknown[][]> {
  const [r] = await conn.query<RowDataPacket[]>({ sql, rowsAsArray: true }, params);
  return r as unknown as unknown[][];
}

export async function threadId(conn: Connection): Promise<number> {
  const [r] = await rows<{ id: number }>(conn, 'SELECT CONNECTION_ID() AS id');
  return Number(r!.id);
}

export function errno(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'errno' in err ? Number((err as { errno: unknown }).errno) : undefined;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
