/** What the server says about the tables a migration touches: the source of truth after a crash. */
import type { Connection } from 'mysql2/promise';
import { identifiesRows, type RowKeyCandidate } from '../schema/row-key.js';
import { rows } from './session.js';
import type { KeyColumn } from './sql.js';

export interface LiveColumn {
  name: string;
  columnType: string;
  collation: string | null;
  nullable: boolean;
  hasDefault: boolean;
  generated: boolean;
}

export async function tableComment(conn: Connection, db: string, table: string): Promise<string | undefined> {
  const r = await rows<{ c: string }>(conn, 'SELECT TABLE_COMMENT AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [db, table]);
  return r[0]?.c;
}

export async function tableExists(conn: Connection, db: string, table: string): Promise<boolean> {
  return (await tableComment(conn, db, table)) !== undefined;
}

export async function liveColumns(conn: Connection, db: string, table: string): Promise<LiveColumn[]> {
  const r = await rows<{ n: string; t: string; c: string | null; nl: string; d: string | null; g: string; x: string }>(
    conn,
    'SELECT COLUMN_NAME AS n, COLUMN_TYPE AS t, COLLATION_NAME AS c, IS_NULLABLE AS nl, COLUMN_DEFAULT AS d, IS_GENERATED AS g, EXTRA AS x FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [db, table],
  );
  return r.map((c) => ({
    name: c.n,
    columnType: c.t,
    collation: c.c,
    nullable: c.nl === 'YES',
    hasDefault: c.d !== null || c.nl === 'YES' || /auto_increment/i.test(c.x),
    generated: c.g === 'ALWAYS' || /GENERATED/i.test(c.x),
  }));
}

/** The table's unique keys (PRIMARY first) as the server reports them, usable or not. */
export async function keyCandidates(conn: Connection, db: string, table: string): Promise<RowKeyCandidate[]> {
  const r = await rows<{ i: string; c: string | null; p: number | null; nl: string }>(
    conn,
    "SELECT INDEX_NAME AS i, COLUMN_NAME AS c, SUB_PART AS p, NULLABLE AS nl FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX",
    [db, table],
  );
  const keys = new Map<string, RowKeyCandidate>();
  for (const row of r) {
    const k = keys.get(row.i) ?? { name: row.i, primary: row.i === 'PRIMARY', unique: true, parts: [] };
    k.parts.push({ column: row.c ?? '', prefix: row.p === null ? undefined : Number(row.p), expression: row.c === null, nullable: row.nl === 'YES' });
    keys.set(row.i, k);
  }
  return [...keys.values()];
}

/** Unique keys (PRIMARY first) as column lists, only those that identify rows (schema/row-key.ts: no prefix, no NULL). */
export async function uniqueKeys(conn: Connection, db: string, table: string): Promise<{ name: string; columns: string[] }[]> {
  return (await keyCandidates(conn, db, table)).filter(identifiesRows).map((k) => ({ name: k.name, columns: k.parts.map((p) => p.column) }));
}

/**
 * The key both tables share (PRIMARY KEY when unchanged, else a shared
 * unique key over NOT NULL columns). Without one, rows cannot be matched
 * across the two tables and the change cannot run online.
 */
export async function sharedKey(conn: Connection, db: string, original: string, shadow: string): Promise<KeyColumn[]> {
  const a = await uniqueKeys(conn, db, original);
  const b = await uniqueKeys(conn, db, shadow);
  const same = (x: string[], y: string[]): boolean => x.length === y.length && x.every((c, i) => c.toLowerCase() === y[i]!.toLowerCase());
  const key = a.find((ka) => b.some((kb) => same(ka.columns, kb.columns)));
  if (!key) {
    throw new Error(`Table ${original} has no primary key or NOT NULL unique key that the new schema keeps, so its rows cannot be matched during an online change. Keep the primary key (or add one in a separate deploy request first).`);
  }
  const colsA = await liveColumns(conn, db, original);
  return key.columns.map((name) => {
    const c = colsA.find((x) => x.name.toLowerCase() === name.toLowerCase())!;
    return { name: c.name, columnType: c.columnType, collation: c.collation ?? undefined };
  });
}

/** Columns copied between the two schemas: present in both, and not generated in the destination. */
export function commonColumns(from: LiveColumn[], to: LiveColumn[]): string[] {
  return from.filter((f) => to.some((t) => t.name.toLowerCase() === f.name.toLowerCase() && !t.generated)).map((f) => f.name);
}

export async function threadsRunning(conn: Connection): Promise<number> {
  const r = await rows<{ Value: string }>(conn, "SHOW GLOBAL STATUS LIKE 'Threads_running'");
  return Number(r[0]?.Value ?? 0);
}
