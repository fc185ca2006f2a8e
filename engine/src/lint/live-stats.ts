/**
 * The live counters auto-increment-capacity compares against the type's range,
 * read from information_schema.TABLES of the target database.
 */
import type { Connection } from 'mysql2/promise';
import type { LiveStats } from './rule.js';

export const LIVE_STATS_SQL =
  'SELECT TABLE_NAME AS name, AUTO_INCREMENT AS autoIncrement, TABLE_ROWS AS `rows` FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = ?';

export interface LiveStatsRow {
  name: string;
  autoIncrement: number | string | null;
  rows: number | string | null;
}

/** Numbers may arrive as strings (bigint columns); NULL means the table has no counter. */
export function liveStatsFromRows(rows: LiveStatsRow[]): LiveStats {
  const stats: LiveStats = {};
  for (const r of rows) {
    stats[r.name] = {
      autoIncrement: r.autoIncrement === null ? undefined : Number(r.autoIncrement),
      rows: r.rows === null ? undefined : Number(r.rows),
    };
  }
  return stats;
}

/**
 * MySQL 8 caches these columns for a day (information_schema_stats_expiry);
 * the session asks for fresh values. MariaDB has no such variable (error 1193)
 * and always answers fresh.
 */
export async function readLiveStats(conn: Connection, database: string): Promise<LiveStats> {
  try {
    await conn.query('SET SESSION information_schema_stats_expiry = 0');
  } catch (err) {
    if ((err as { errno?: number }).errno !== 1193) throw err;
  }
  const [rows] = await conn.query(LIVE_STATS_SQL, [database, 'BASE TABLE']);
  return liveStatsFromRows(rows as LiveStatsRow[]);
}
