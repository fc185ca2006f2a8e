/**
 * The cut-over's LOCK TABLES with a budget shorter than a second: while it
 * waits, every application write to the tables queues behind it, so the wait
 * of one attempt is the stall that attempt can cost. `lock_wait_timeout` takes
 * whole seconds only; MariaDB's `max_statement_time` takes fractions and
 * interrupts the waiting LOCK TABLES. Elsewhere whole seconds are the floor.
 */
import type { Connection } from 'mysql2/promise';
import { errno, rows } from './session.js';

/** Lock wait timeout (1205) and MariaDB's statement time limit (1969): the lock was not granted in time. */
export function isLockTimeout(err: unknown): boolean {
  const n = errno(err);
  return n === 1205 || n === 1969;
}

export async function supportsStatementTimeLimit(conn: Connection): Promise<boolean> {
  const r = await rows<{ v: string }>(conn, 'SELECT VERSION() AS v');
  return /mariadb/i.test(r[0]?.v ?? '');
}

/** Runs `lockSql` on `a`, giving up after `budgetMs` (rounded up to whole seconds where the server has no fractional limit). */
export async function lockWithin(a: Connection, lockSql: string, budgetMs: number, fractional: boolean): Promise<void> {
  if (!fractional) {
    await a.query('SET SESSION lock_wait_timeout = ?', [Math.max(1, Math.ceil(budgetMs / 1000))]);
    await a.query(lockSql);
    return;
  }
  await a.query('SET SESSION max_statement_time = ?', [Math.max(0.001, budgetMs / 1000)]);
  try {
    await a.query(lockSql);
  } finally {
    await a.query('SET SESSION max_statement_time = 0');
  }
}
