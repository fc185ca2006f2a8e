/** What the server knows about a branch's database: small queries, each with a bound parameter, never string-built names. */
import type { Connection, RowDataPacket } from 'mysql2/promise';

export interface DatabaseInfo {
  name: string;
  charset: string;
  collation: string;
  /** Base tables (views are not part of a branch). */
  tables: number;
}

export async function databaseInfo(conn: Connection, database: string): Promise<DatabaseInfo | undefined> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT SCHEMA_NAME AS name, DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [database],
  );
  if (rows.length === 0) return undefined;
  const [counts] = await conn.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", [database]);
  return { name: String(rows[0].name), charset: String(rows[0].charset), collation: String(rows[0].collation), tables: Number(counts[0].n) };
}

export async function databaseNames(conn: Connection): Promise<string[]> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME');
  return rows.map((r) => String(r.name));
}
