/**
 * SQL text for the deploy request metadata store, built by pure functions and
 * tested as exact strings. The tables live in `_schemabranch` on the target
 * server so the CLI, the editor and a second machine share one truth.
 * Column types stay within what MySQL 5.7+, 8.x and MariaDB 10.x all accept
 * (LONGTEXT for JSON, no defaults on TEXT columns).
 */
import { quoteIdent, quoteQualified } from '../sql/quote.js';

export const METADATA_DATABASE = '_schemabranch';
export const REQUESTS_TABLE = 'deploy_requests';
export const EVENTS_TABLE = 'deploy_request_events';
export const REVIEWS_TABLE = 'deploy_request_reviews';

/** [column, definition]; new columns are appended here and added to old stores by `upgradeStatements`. */
export const REQUEST_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'bigint unsigned NOT NULL AUTO_INCREMENT'],
  ['target_database', 'varchar(64) NOT NULL'],
  ['branch', 'varchar(255) NOT NULL'],
  ['branch_database', 'varchar(64) NOT NULL'],
  ['state', 'varchar(32) NOT NULL'],
  ['changes', 'longtext NOT NULL'],
  ['deployable', 'tinyint(1) NOT NULL'],
  ['lint', 'longtext NOT NULL'],
  ['main_fingerprints', 'longtext NOT NULL'],
  ['gated', 'tinyint(1) NOT NULL DEFAULT 0'],
  ['migration_id', 'varchar(64) NULL'],
  ['opened_by', 'varchar(300) NOT NULL'],
  ['owner', 'varchar(300) NULL'],
  ['cancel_requested', 'tinyint(1) NOT NULL DEFAULT 0'],
  ['progress', 'longtext NULL'],
  ['error_message', 'text NULL'],
  ['error_retry_safe', 'tinyint(1) NULL'],
  ['error_during', 'varchar(16) NULL'],
  ['error_next', 'text NULL'],
  ['revert_window_seconds', 'int unsigned NOT NULL'],
  ['created_at', 'datetime(3) NOT NULL'],
  ['updated_at', 'datetime(3) NOT NULL'],
  ['started_at', 'datetime(3) NULL'],
  ['cut_over_at', 'datetime(3) NULL'],
  ['window_deadline', 'datetime(3) NULL'],
  ['finished_at', 'datetime(3) NULL'],
  // Appended: older stores get it from upgradeStatements.
  ['paused', 'tinyint(1) NOT NULL DEFAULT 0'],
  // Appended: the statements that undo an instant deploy (JSON), null for an online one.
  ['instant_undo', 'longtext NULL'],
  // Appended: the copy's settings changed while it runs (JSON CopyTuning), null when never tuned.
  ['tuning', 'longtext NULL'],
  // Appended: the statements that put back the views, triggers, routines and events the request changed (JSON, deploy/objects.ts), null when none.
  ['object_undo', 'longtext NULL'],
];

export const EVENT_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'bigint unsigned NOT NULL AUTO_INCREMENT'],
  ['request_id', 'bigint unsigned NOT NULL'],
  ['at', 'datetime(3) NOT NULL'],
  ['from_state', 'varchar(32) NULL'],
  ['to_state', 'varchar(32) NOT NULL'],
  ['message', 'text NOT NULL'],
  ['actor', 'varchar(300) NOT NULL'],
];

/** Approvals and comments; `diff` is the fingerprint of the changes reviewed, so an approval of an older diff no longer counts. */
export const REVIEW_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'bigint unsigned NOT NULL AUTO_INCREMENT'],
  ['request_id', 'bigint unsigned NOT NULL'],
  ['at', 'datetime(3) NOT NULL'],
  ['actor', 'varchar(300) NOT NULL'],
  ['kind', 'varchar(16) NOT NULL'],
  ['body', 'text NULL'],
  ['diff', 'varchar(64) NOT NULL'],
];

function createTable(table: string, columns: ReadonlyArray<readonly [string, string]>, keys: string[]): string {
  const lines = [...columns.map(([name, def]) => `  ${quoteIdent(name)} ${def}`), ...keys.map((k) => `  ${k}`)];
  return `CREATE TABLE IF NOT EXISTS ${quoteQualified(METADATA_DATABASE, table)} (\n${lines.join(',\n')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
}

/** Statements that create the store; each is idempotent. */
export function createStatements(): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${quoteIdent(METADATA_DATABASE)} DEFAULT CHARACTER SET utf8mb4`,
    createTable(REQUESTS_TABLE, REQUEST_COLUMNS, ['PRIMARY KEY (`id`)', 'KEY `by_target_state` (`target_database`, `state`)']),
    createTable(EVENTS_TABLE, EVENT_COLUMNS, ['PRIMARY KEY (`id`)', 'KEY `by_request` (`request_id`, `id`)']),
    createTable(REVIEWS_TABLE, REVIEW_COLUMNS, ['PRIMARY KEY (`id`)', 'KEY `by_request` (`request_id`, `id`)']),
  ];
}

/** ALTERs that add the columns a store made by an older version lacks. */
export function upgradeStatements(table: string, existing: readonly string[]): string[] {
  const declared = table === REQUESTS_TABLE ? REQUEST_COLUMNS : EVENT_COLUMNS;
  const have = new Set(existing.map((c) => c.toLowerCase()));
  return declared
    .filter(([name]) => !have.has(name))
    .map(([name, def]) => `ALTER TABLE ${quoteQualified(METADATA_DATABASE, table)} ADD COLUMN ${quoteIdent(name)} ${def.replace(' AUTO_INCREMENT', '')}`);
}

/** A column value in a patch: a plain value (sent as a placeholder), the server's UTC now, or now plus seconds. */
export type PatchValue = string | number | boolean | null | { now: true } | { nowPlusSeconds: number };

export interface SqlWithParams {
  sql: string;
  params: Array<string | number | null>;
}

function assignment(column: string, value: PatchValue): { text: string; params: Array<string | number | null> } {
  const col = quoteIdent(column);
  if (value !== null && typeof value === 'object') {
    if ('now' in value) return { text: `${col} = UTC_TIMESTAMP(3)`, params: [] };
    return { text: `${col} = UTC_TIMESTAMP(3) + INTERVAL ? SECOND`, params: [value.nowPlusSeconds] };
  }
  return { text: `${col} = ?`, params: [typeof value === 'boolean' ? (value ? 1 : 0) : value] };
}

/** UPDATE of one request; `updated_at` is always bumped. */
export function updateRequestSql(id: number, patch: Record<string, PatchValue>): SqlWithParams {
  const parts = Object.entries({ ...patch, updated_at: { now: true } as PatchValue }).map(([c, v]) => assignment(c, v));
  return {
    sql: `UPDATE ${quoteQualified(METADATA_DATABASE, REQUESTS_TABLE)} SET ${parts.map((p) => p.text).join(', ')} WHERE ${quoteIdent('id')} = ?`,
    params: [...parts.flatMap((p) => p.params), id],
  };
}

export function insertRequestSql(values: Record<string, PatchValue>): SqlWithParams {
  const parts = Object.entries({ ...values, created_at: { now: true } as PatchValue, updated_at: { now: true } as PatchValue }).map(([c, v]) => ({ c, a: assignment(c, v) }));
  return {
    sql: `INSERT INTO ${quoteQualified(METADATA_DATABASE, REQUESTS_TABLE)} (${parts.map((p) => quoteIdent(p.c)).join(', ')}) VALUES (${parts.map((p) => p.a.text.slice(p.a.text.indexOf('= ') + 2)).join(', ')})`,
    params: parts.flatMap((p) => p.a.params),
  };
}

export function insertEventSql(): string {
  return `INSERT INTO ${quoteQualified(METADATA_DATABASE, EVENTS_TABLE)} (\`request_id\`, \`at\`, \`from_state\`, \`to_state\`, \`message\`, \`actor\`) VALUES (?, UTC_TIMESTAMP(3), ?, ?, ?, ?)`;
}

export function selectRequestsSql(where: { id?: number; targetDatabase?: string; states?: readonly string[] }, forUpdate = false): SqlWithParams {
  const conds: string[] = [];
  const params: Array<string | number | null> = [];
  if (where.id !== undefined) {
    conds.push('`id` = ?');
    params.push(where.id);
  }
  if (where.targetDatabase !== undefined) {
    conds.push('`target_database` = ?');
    params.push(where.targetDatabase);
  }
  if (where.states && where.states.length > 0) {
    conds.push(`\`state\` IN (${where.states.map(() => '?').join(', ')})`);
    params.push(...where.states);
  }
  const whereText = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
  return { sql: `SELECT * FROM ${quoteQualified(METADATA_DATABASE, REQUESTS_TABLE)}${whereText} ORDER BY \`id\`${forUpdate ? ' FOR UPDATE' : ''}`, params };
}

export function insertReviewSql(): string {
  return `INSERT INTO ${quoteQualified(METADATA_DATABASE, REVIEWS_TABLE)} (\`request_id\`, \`at\`, \`actor\`, \`kind\`, \`body\`, \`diff\`) VALUES (?, UTC_TIMESTAMP(3), ?, ?, ?, ?)`;
}

export function selectReviewsSql(): string {
  return `SELECT * FROM ${quoteQualified(METADATA_DATABASE, REVIEWS_TABLE)} WHERE \`request_id\` = ? ORDER BY \`id\``;
}

export function selectEventsSql(): string {
  return `SELECT * FROM ${quoteQualified(METADATA_DATABASE, EVENTS_TABLE)} WHERE \`request_id\` = ? ORDER BY \`id\``;
}
