/**
 * Holding a target database for one operation: a dedicated connection with
 * the deploy lock, released and closed whatever happens.
 */
import type { Connection } from 'mysql2/promise';
import type { DeployCore } from './core.js';
import { DeployBusyError } from './core.js';
import { acquireLock, deployLockName, describeHolder, lockHolder, releaseLock } from './lock.js';
import { openConnection } from './store.js';

export interface HeldTarget {
  conn: Connection;
  name: string;
}

/** Why the target is busy, in words: which request runs and who holds the lock. */
export async function busyReason(core: DeployCore, conn: Connection, database: string, forId: number): Promise<string> {
  const name = deployLockName(database);
  const holder = await lockHolder(conn, name);
  const active = (await core.store.list({ targetDatabase: database, states: ['in_progress', 'in_progress_revert'] })).filter((r) => r.id !== forId);
  const what = active.length ? `deploy request #${active[0].id} is ${active[0].state} on ${database}` : `another schemabranch process is working on ${database}`;
  const who = holder ? ` (lock ${name} held by ${describeHolder(holder)})` : '';
  return `${what}${who}`;
}

/**
 * Takes the target's deploy lock without waiting, or throws DeployBusyError
 * naming the holder. `verb` completes "run with --wait to <verb>".
 */
export async function holdTarget(core: DeployCore, database: string, forId: number, verb: string): Promise<HeldTarget> {
  const conn = await openConnection(core.target);
  const name = deployLockName(database);
  try {
    if (await acquireLock(conn, name, 0)) return { conn, name };
    throw new DeployBusyError(`Cannot ${verb} deploy request #${forId} now: ${await busyReason(core, conn, database, forId)}. Try again when it finishes.`);
  } catch (err) {
    await conn.end().catch(() => conn.destroy());
    throw err;
  }
}

export async function releaseTarget(held: HeldTarget): Promise<void> {
  try {
    await releaseLock(held.conn, held.name);
  } finally {
    await held.conn.end().catch(() => held.conn.destroy());
  }
}

export async function withTarget<T>(core: DeployCore, database: string, forId: number, verb: string, fn: () => Promise<T>): Promise<T> {
  const held = await holdTarget(core, database, forId, verb);
  try {
    return await fn();
  } finally {
    await releaseTarget(held);
  }
}
