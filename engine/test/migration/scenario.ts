/** Shared setup for the migration tests: a table, hand-built SchemaChanges, and the deploy/revert walk. */
import type { SchemaChange } from '../../src/diff/change.js';
import type { ServerTarget } from '../../src/db/target.js';
import { quoteQualified } from '../../src/sql/quote.js';
import { connect } from '../../../test/support/server.js';

export const BASE_TABLE = (db: string, table: string): string =>
  `CREATE TABLE ${quoteQualified(db, table)} (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, k int NOT NULL DEFAULT 0, c varchar(64) NOT NULL DEFAULT '', extra varchar(20) NOT NULL DEFAULT 'x', KEY k (k)) ENGINE=InnoDB`;

export function alterChange(table: string, alterSpec: string): SchemaChange {
  return { table, kind: 'alter_table', statement: `ALTER TABLE \`${table}\` ${alterSpec}`, alterSpec, class: 'safe', reasons: [] };
}

export async function exec(target: ServerTarget, db: string, sql: string, params: unknown[] = []): Promise<unknown> {
  const c = await connect(target, db);
  try {
    const [r] = await c.query(sql, params);
    return r;
  } finally {
    await c.end();
  }
}

export async function columnsOf(target: ServerTarget, db: string, table: string): Promise<string[]> {
  const r = (await exec(target, db, 'SELECT COLUMN_NAME AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [db, table])) as { n: string }[];
  return r.map((x) => x.n);
}

export async function tableNames(target: ServerTarget, db: string): Promise<string[]> {
  const r = (await exec(target, db, 'SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [db])) as { n: string }[];
  return r.map((x) => x.n);
}
