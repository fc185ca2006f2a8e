/**
 * Migration state in the metadata database on the server itself, so a
 * restarted process (or another machine) sees the same truth. Tables are
 * prefixed `migration_`; `_schemabranch.deploy_requests` belongs to deploy requests.
 */
import type { Connection } from 'mysql2/promise';
import { quoteIdent } from '../sql/quote.js';
import type { SchemaChange } from '../diff/change.js';
import { METADATA_DB } from './names.js';
import { rows } from './session.js';
import type { KeyColumn } from './sql.js';
import { DEFERRED_INDEXES_DDL } from './deferred-indexes.js';
import type { ForeignKeyPlan } from './foreign-keys.js';
import type { TriggerPlan } from './trigger-move.js';

export type StoredPhase = 'prepared' | 'copying' | 'ready_to_cut_over' | 'cut_over' | 'reverted' | 'finished' | 'aborted';
/** A step that changes which table holds the user's name; recovery checks the server to see whether it happened. */
export type InFlightStep = 'cutting_over' | 'reverting' | null;

export interface RunRecord {
  id: number;
  database: string;
  phase: StoredPhase;
  step: InFlightStep;
  options: string;
  cutOverAt: string | null;
  error: string | null;
}

export interface TableRecord {
  position: number;
  table: string;
  kind: SchemaChange['kind'];
  statement: string;
  alterSpec: string | null;
  shadow: string;
  old: string;
  changelog: string | null;
  key: KeyColumn[];
  /** Columns copied old -> new (copy and forward drain) and new -> old (revert window). */
  forwardColumns: string[];
  backColumns: string[];
  rowsTotal: number;
  rowsCopied: number;
  /** Checkpoint: the last key copied, JSON array; null before the first chunk. */
  lastKey: unknown[] | null;
  /** The highest key when the copy started: rows above it arrive through the changelog. */
  endKey: unknown[] | null;
  copyDone: boolean;
  /** Altered tables: the foreign keys moved at each swap (null for a migration recorded before keys were handled). */
  foreignKeys: ForeignKeyPlan | null;
  /** Altered tables: the user's triggers moved at each swap (trigger-move.ts); null when the table has none before or after. */
  triggers: TriggerPlan | null;
}

const db = quoteIdent(METADATA_DB);

export const METADATA_DDL = [
  `CREATE DATABASE IF NOT EXISTS ${db} DEFAULT CHARACTER SET utf8mb4`,
  `CREATE TABLE IF NOT EXISTS ${db}.\`migration_runs\` (
  \`id\` int unsigned NOT NULL PRIMARY KEY,
  \`database_name\` varchar(64) NOT NULL,
  \`phase\` varchar(24) NOT NULL,
  \`step\` varchar(24) NULL,
  \`options\` text NOT NULL,
  \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  \`cut_over_at\` datetime(3) NULL,
  \`error\` text NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE IF NOT EXISTS ${db}.\`migration_tables\` (
  \`migration_id\` int unsigned NOT NULL,
  \`position\` int unsigned NOT NULL,
  \`table_name\` varchar(64) NOT NULL,
  \`kind\` varchar(16) NOT NULL,
  \`statement\` longtext NOT NULL,
  \`alter_spec\` longtext NULL,
  \`shadow_name\` varchar(64) NOT NULL,
  \`old_name\` varchar(64) NOT NULL,
  \`changelog_name\` varchar(64) NULL,
  \`key_columns\` text NOT NULL,
  \`forward_columns\` text NOT NULL,
  \`back_columns\` text NOT NULL,
  \`rows_total\` bigint unsigned NOT NULL DEFAULT 0,
  \`rows_copied\` bigint unsigned NOT NULL DEFAULT 0,
  \`last_key\` text NULL,
  \`end_key\` text NULL,
  \`copy_done\` tinyint(1) NOT NULL DEFAULT 0,
  \`foreign_keys\` longtext NULL,
  \`triggers\` longtext NULL,
  PRIMARY KEY (\`migration_id\`, \`position\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
];

/**
 * The store holds users' statements and table names, which may be in any
 * script (Apollo's schema comments are Chinese): utf8mb4 whatever the server's
 * default, which is latin1 on MariaDB. A store made before this said so is
 * converted once (the tables are small and only the engine uses them).
 */
const STORE_TABLES = ['migration_runs', 'migration_tables', 'migration_deferred_indexes'];

/** Servers whose metadata predates foreign key handling get the column (checked first: even a no-op ALTER waits for the table's metadata lock). */
const ADD_FOREIGN_KEYS_COLUMN = `ALTER TABLE ${db}.\`migration_tables\` ADD COLUMN IF NOT EXISTS \`foreign_keys\` longtext NULL`;
/** Likewise for stores that predate moving the user's triggers. */
const ADD_TRIGGERS_COLUMN = `ALTER TABLE ${db}.\`migration_tables\` ADD COLUMN IF NOT EXISTS \`triggers\` longtext NULL`;

export async function ensureMetadata(conn: Connection): Promise<void> {
  for (const stmt of [...METADATA_DDL, DEFERRED_INDEXES_DDL]) await conn.query(stmt);
  const narrow = await rows<{ t: string }>(
    conn,
    `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (${STORE_TABLES.map(() => '?').join(', ')}) AND TABLE_COLLATION NOT LIKE 'utf8mb4%'`,
    [METADATA_DB, ...STORE_TABLES],
  );
  for (const { t } of narrow) await conn.query(`ALTER TABLE ${db}.${quoteIdent(t)} CONVERT TO CHARACTER SET utf8mb4`);
  const has = new Set(
    (await rows<{ n: string }>(conn, "SELECT COLUMN_NAME AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'migration_tables' AND COLUMN_NAME IN ('foreign_keys', 'triggers')", [METADATA_DB])).map((r) => r.n),
  );
  if (!has.has('foreign_keys')) await conn.query(ADD_FOREIGN_KEYS_COLUMN);
  if (!has.has('triggers')) await conn.query(ADD_TRIGGERS_COLUMN);
}

export async function insertRun(conn: Connection, run: RunRecord, tables: TableRecord[]): Promise<void> {
  await conn.beginTransaction();
  try {
    await conn.query(`INSERT INTO ${db}.\`migration_runs\` (\`id\`, \`database_name\`, \`phase\`, \`step\`, \`options\`) VALUES (?, ?, ?, ?, ?)`, [run.id, run.database, run.phase, run.step, run.options]);
    for (const t of tables) {
      await conn.query(
        `INSERT INTO ${db}.\`migration_tables\` (\`migration_id\`, \`position\`, \`table_name\`, \`kind\`, \`statement\`, \`alter_spec\`, \`shadow_name\`, \`old_name\`, \`changelog_name\`, \`key_columns\`, \`forward_columns\`, \`back_columns\`, \`rows_total\`, \`foreign_keys\`, \`triggers\`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [run.id, t.position, t.table, t.kind, t.statement, t.alterSpec, t.shadow, t.old, t.changelog, JSON.stringify(t.key), JSON.stringify(t.forwardColumns), JSON.stringify(t.backColumns), t.rowsTotal, t.foreignKeys === null ? null : JSON.stringify(t.foreignKeys), t.triggers === null ? null : JSON.stringify(t.triggers)],
      );
    }
    await conn.commit();
  } catch (err) {
    await conn.rollback();
    throw err;
  }
}

export async function readRun(conn: Connection, id: number): Promise<{ run: RunRecord; tables: TableRecord[] } | undefined> {
  const [r] = await rows<{ id: number; database_name: string; phase: StoredPhase; step: InFlightStep; options: string; cut_over_at: string | null; error: string | null }>(
    conn,
    `SELECT \`id\`, \`database_name\`, \`phase\`, \`step\`, \`options\`, \`cut_over_at\`, \`error\` FROM ${db}.\`migration_runs\` WHERE \`id\` = ?`,
    [id],
  );
  if (!r) return undefined;
  type Row = { position: number; table_name: string; kind: SchemaChange['kind']; statement: string; alter_spec: string | null; shadow_name: string; old_name: string; changelog_name: string | null; key_columns: string; forward_columns: string; back_columns: string; rows_total: string | number; rows_copied: string | number; last_key: string | null; end_key: string | null; copy_done: number; foreign_keys: string | null; triggers: string | null };
  const ts = await rows<Row>(conn, `SELECT * FROM ${db}.\`migration_tables\` WHERE \`migration_id\` = ? ORDER BY \`position\``, [id]);
  return {
    run: { id: Number(r.id), database: r.database_name, phase: r.phase, step: r.step, options: r.options, cutOverAt: r.cut_over_at, error: r.error },
    tables: ts.map((t) => ({
      position: Number(t.position),
      table: t.table_name,
      kind: t.kind,
      statement: t.statement,
      alterSpec: t.alter_spec,
      shadow: t.shadow_name,
      old: t.old_name,
      changelog: t.changelog_name,
      key: JSON.parse(t.key_columns) as KeyColumn[],
      forwardColumns: JSON.parse(t.forward_columns) as string[],
      backColumns: JSON.parse(t.back_columns) as string[],
      rowsTotal: Number(t.rows_total),
      rowsCopied: Number(t.rows_copied),
      lastKey: t.last_key === null ? null : (JSON.parse(t.last_key) as unknown[]),
      endKey: t.end_key === null ? null : (JSON.parse(t.end_key) as unknown[]),
      copyDone: Number(t.copy_done) === 1,
      foreignKeys: t.foreign_keys === null ? null : (JSON.parse(t.foreign_keys) as ForeignKeyPlan),
      triggers: t.triggers === null || t.triggers === undefined ? null : (JSON.parse(t.triggers) as TriggerPlan),
    })),
  };
}

export async function setPhase(conn: Connection, id: number, phase: StoredPhase, step: InFlightStep, extra: { cutOverNow?: boolean; error?: string | null } = {}): Promise<void> {
  const sets = ['`phase` = ?', '`step` = ?'];
  const params: unknown[] = [phase, step];
  if (extra.cutOverNow) sets.push('`cut_over_at` = CURRENT_TIMESTAMP(3)');
  if (extra.error !== undefined) {
    sets.push('`error` = ?');
    params.push(extra.error);
  }
  await conn.query(`UPDATE ${db}.\`migration_runs\` SET ${sets.join(', ')} WHERE \`id\` = ?`, [...params, id]);
}

export async function saveCheckpoint(conn: Connection, id: number, t: TableRecord): Promise<void> {
  await conn.query(
    `UPDATE ${db}.\`migration_tables\` SET \`rows_total\` = ?, \`rows_copied\` = ?, \`last_key\` = ?, \`end_key\` = ?, \`copy_done\` = ? WHERE \`migration_id\` = ? AND \`position\` = ?`,
    [t.rowsTotal, t.rowsCopied, t.lastKey === null ? null : JSON.stringify(t.lastKey), t.endKey === null ? null : JSON.stringify(t.endKey), t.copyDone ? 1 : 0, id, t.position],
  );
}

export async function saveForeignKeys(conn: Connection, id: number, t: TableRecord): Promise<void> {
  await conn.query(`UPDATE ${db}.\`migration_tables\` SET \`foreign_keys\` = ? WHERE \`migration_id\` = ? AND \`position\` = ?`, [t.foreignKeys === null ? null : JSON.stringify(t.foreignKeys), id, t.position]);
}

export async function deleteRun(conn: Connection, id: number): Promise<void> {
  await conn.query(`DELETE FROM ${db}.\`migration_deferred_indexes\` WHERE \`migration_id\` = ?`, [id]);
  await conn.query(`DELETE FROM ${db}.\`migration_tables\` WHERE \`migration_id\` = ?`, [id]);
  await conn.query(`DELETE FROM ${db}.\`migration_runs\` WHERE \`id\` = ?`, [id]);
}
