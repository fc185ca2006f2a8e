/**
 * Non-unique secondary indexes are left off the shadow table while rows are
 * copied and built afterwards in one sorted pass (online: the drain keeps
 * writing meanwhile). Inserting rows one by one into an index on a random
 * column is what makes a copy slow; unique keys stay, since REPLACE relies on
 * them. The definitions are kept on the server so a restarted process can
 * finish the job.
 */
import type { Connection } from 'mysql2/promise';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { METADATA_DB } from './names.js';
import { rows } from './session.js';

const table = `${quoteIdent(METADATA_DB)}.\`migration_deferred_indexes\``;

export const DEFERRED_INDEXES_DDL = `CREATE TABLE IF NOT EXISTS ${table} (
  \`migration_id\` int unsigned NOT NULL,
  \`position\` int unsigned NOT NULL,
  \`index_name\` varchar(64) NOT NULL,
  \`definition\` text NOT NULL,
  PRIMARY KEY (\`migration_id\`, \`position\`, \`index_name\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

/** The `KEY ...` lines of SHOW CREATE TABLE for plain (non-unique, non-fulltext, non-spatial) indexes. */
export function plainIndexDefinitions(createTable: string): { name: string; definition: string }[] {
  const out: { name: string; definition: string }[] = [];
  for (const line of createTable.split('\n')) {
    const m = /^\s*KEY `((?:[^`]|``)+)` (.*?),?$/.exec(line);
    if (m) out.push({ name: m[1]!.replace(/``/g, '`'), definition: `KEY ${quoteIdent(m[1]!.replace(/``/g, '`'))} ${m[2]!}` });
  }
  return out;
}

export function addIndexes(db: string, shadow: string, definitions: string[]): string {
  return `ALTER TABLE ${quoteQualified(db, shadow)} ${definitions.map((d) => `ADD ${d}`).join(', ')}, ALGORITHM=INPLACE, LOCK=NONE`;
}

/**
 * Drops the plain indexes from a freshly built shadow table and records them; an index a foreign key needs stays.
 * Only an InnoDB shadow: building them later takes ALGORITHM=INPLACE, LOCK=NONE, which other engines refuse
 * (MyISAM: "ALGORITHM=INPLACE is not supported"), and MyISAM already fills a copy's indexes in bulk.
 */
export async function deferIndexes(conn: Connection, db: string, shadow: string, id: number, position: number): Promise<number> {
  const [engine] = await rows<{ e: string | null }>(conn, 'SELECT ENGINE AS e FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [db, shadow]);
  if (engine?.e?.toUpperCase() !== 'INNODB') return 0;
  const [show] = await rows<Record<string, string>>(conn, `SHOW CREATE TABLE ${quoteQualified(db, shadow)}`);
  let deferred = 0;
  for (const idx of plainIndexDefinitions(show!['Create Table']!)) {
    // Recorded before it is dropped: a crash in between must not lose the index from the new schema.
    await conn.query(`REPLACE INTO ${table} (\`migration_id\`, \`position\`, \`index_name\`, \`definition\`) VALUES (?, ?, ?, ?)`, [id, position, idx.name, idx.definition]);
    try {
      await conn.query(`ALTER TABLE ${quoteQualified(db, shadow)} DROP INDEX ${quoteIdent(idx.name)}`);
      deferred++;
    } catch {
      // e.g. a foreign key needs it: it stays, and building it later finds it present.
    }
  }
  return deferred;
}

/** Builds whatever deferred index the shadow table does not have yet (idempotent, so a resumed copy can call it again). */
export async function buildDeferredIndexes(conn: Connection, db: string, shadow: string, id: number, position: number): Promise<void> {
  const wanted = await rows<{ index_name: string; definition: string }>(conn, `SELECT \`index_name\`, \`definition\` FROM ${table} WHERE \`migration_id\` = ? AND \`position\` = ?`, [id, position]);
  if (wanted.length === 0) return;
  const have = new Set((await rows<{ n: string }>(conn, 'SELECT DISTINCT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [db, shadow])).map((r) => r.n));
  const missing = wanted.filter((w) => !have.has(w.index_name)).map((w) => w.definition);
  if (missing.length) await conn.query(addIndexes(db, shadow, missing));
}

export async function forgetDeferredIndexes(conn: Connection, id: number): Promise<void> {
  await conn.query(`DELETE FROM ${table} WHERE \`migration_id\` = ?`, [id]);
}
