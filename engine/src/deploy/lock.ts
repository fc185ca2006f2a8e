/**
 * One deploy per target database at a time: a server-side named lock
 * (GET_LOCK) held on a dedicated connection for as long as a process works on
 * the target. When the process dies its connection closes and the server
 * frees the lock, which is also how reconcile() tells a crashed deploy from a
 * running one.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Connection, RowDataPacket } from 'mysql2/promise';

const PREFIX = 'schemabranch:deploy:';

/** The lock name for a target database; MySQL allows 64 characters, so long names are hashed. */
export function deployLockName(database: string): string {
  const plain = PREFIX + database;
  if (plain.length <= 64) return plain;
  return PREFIX + createHash('sha1').update(database).digest('hex');
}

/** `host:pid` of this process, stored as a request's owner. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}`;
}

export interface LockHolder {
  connectionId: number;
  user: string | null;
  host: string | null;
}

/** Tries for `waitSeconds` (0 = do not wait); true when this connection now holds the lock. */
export async function acquireLock(conn: Connection, name: string, waitSeconds: number): Promise<boolean> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [name, waitSeconds]);
  return Number(rows[0]?.got) === 1;
}

export async function releaseLock(conn: Connection, name: string): Promise<void> {
  await conn.query('SELECT RELEASE_LOCK(?)', [name]);
}

/** Who holds the lock, or undefined when it is free. */
export async function lockHolder(conn: Connection, name: string): Promise<LockHolder | undefined> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT IS_USED_LOCK(?) AS id', [name]);
  const id = rows[0]?.id;
  if (id === null || id === undefined) return undefined;
  const connectionId = Number(id);
  const [procs] = await conn.query<RowDataPacket[]>('SELECT USER AS user, HOST AS host FROM information_schema.PROCESSLIST WHERE ID = ?', [connectionId]);
  return { connectionId, user: procs[0] ? String(procs[0].user) : null, host: procs[0] ? String(procs[0].host) : null };
}

export function describeHolder(h: LockHolder): string {
  return `${h.user ?? 'unknown user'}@${h.host ?? 'unknown host'} (connection ${h.connectionId})`;
}
