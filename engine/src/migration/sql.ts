/**
 * Every SQL statement the online migration runs, built by pure functions so
 * each is tested as an exact string. Values travel as `?` placeholders; only
 * identifiers (through quoteIdent) and fixed keywords are spliced into text.
 */
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { ENGINE_SESSION_VAR } from './names.js';

export interface KeyColumn {
  name: string;
  /** COLUMN_TYPE as the server reports it, e.g. `int(11)`, `varchar(64)`. */
  columnType: string;
  collation?: string;
}

const cols = (names: string[]): string => names.map(quoteIdent).join(', ');

export function createShadowTable(db: string, shadow: string, original: string): string {
  return `CREATE TABLE ${quoteQualified(db, shadow)} LIKE ${quoteQualified(db, original)}`;
}

/** `alterSpec` comes from the diff engine (already quoted clauses after `ALTER TABLE <name> `). */
export function alterShadowTable(db: string, shadow: string, alterSpec: string): string {
  return `ALTER TABLE ${quoteQualified(db, shadow)} ${alterSpec}`;
}

export function createChangelog(metaDb: string, changelog: string, key: KeyColumn[]): string {
  const keyDefs = key.map((k) => `${quoteIdent(k.name)} ${safeColumnType(k.columnType)}${k.collation ? ` COLLATE ${safeCollation(k.collation)}` : ''} NOT NULL`);
  return (
    `CREATE TABLE IF NOT EXISTS ${quoteQualified(metaDb, changelog)} (` +
    '`seq` bigint unsigned NOT NULL AUTO_INCREMENT, `side` tinyint unsigned NOT NULL, ' +
    keyDefs.join(', ') +
    ', PRIMARY KEY (`seq`), KEY `side_seq` (`side`, `seq`)) ENGINE=InnoDB'
  );
}

/** COLUMN_TYPE text comes from information_schema; refuse anything that is not a plain type so it can be spliced safely. */
export function safeColumnType(t: string): string {
  if (!/^[a-z]+(\([0-9, ]+\)|\((?:'(?:[^']|'')*'(?:,)?)+\))?( unsigned)?( zerofill)?$/i.test(t)) throw new Error(`Unsupported key column type ${JSON.stringify(t)}.`);
  return t;
}

function safeCollation(c: string): string {
  if (!/^[a-z0-9_]+$/i.test(c)) throw new Error(`Unsupported collation ${JSON.stringify(c)}.`);
  return c;
}

export type TriggerEvent = 'ins' | 'upd' | 'del';

/**
 * A capture trigger appends the changed key to the changelog with a fixed
 * `side` (1 = changed in the old-schema table, 2 = in the new-schema table).
 * It never writes into the other table, so it survives RENAME; it skips the
 * engine's own writes (session variable) so the two directions never loop.
 */
export function createCaptureTrigger(p: { db: string; table: string; trigger: string; event: TriggerEvent; metaDb: string; changelog: string; side: 1 | 2; key: string[] }): string {
  const timing = { ins: 'INSERT', upd: 'UPDATE', del: 'DELETE' }[p.event];
  const target = `${quoteQualified(p.metaDb, p.changelog)} (\`side\`, ${cols(p.key)})`;
  const values = (row: 'NEW' | 'OLD'): string => `VALUES (${p.side}, ${p.key.map((k) => `${row}.${quoteIdent(k)}`).join(', ')})`;
  let body: string;
  if (p.event === 'ins') body = `INSERT INTO ${target} ${values('NEW')};`;
  else if (p.event === 'del') body = `INSERT INTO ${target} ${values('OLD')};`;
  else {
    const same = p.key.map((k) => `OLD.${quoteIdent(k)} <=> NEW.${quoteIdent(k)}`).join(' AND ');
    // The old key first: a drain batch that ends between the two then only removes the row, and the next batch puts it back
    // under its new key. New key first, the row would go in under the new key while the target still held it under the old
    // one, a duplicate on any other unique key (fatal towards the old schema, which inserts without REPLACE).
    body = `IF NOT (${same}) THEN INSERT INTO ${target} ${values('OLD')}; END IF; INSERT INTO ${target} ${values('NEW')};`;
  }
  return `CREATE TRIGGER ${quoteQualified(p.db, p.trigger)} AFTER ${timing} ON ${quoteQualified(p.db, p.table)} FOR EACH ROW IF ${ENGINE_SESSION_VAR} IS NULL THEN ${body} END IF`;
}

export function dropTrigger(db: string, trigger: string): string {
  return `DROP TRIGGER IF EXISTS ${quoteQualified(db, trigger)}`;
}

export function analyzeTable(db: string, table: string): string {
  return `ANALYZE TABLE ${quoteQualified(db, table)}`;
}

export function dropTable(db: string, table: string): string {
  return `DROP TABLE IF EXISTS ${quoteQualified(db, table)}`;
}

/**
 * Lexicographic comparison of a key tuple with placeholders, expanded so
 * MariaDB uses a range scan (it does not for `(a, b) > (?, ?)`).
 * Returns the SQL and how to lay out the values for it.
 */
export function keyCompare(key: string[], op: '>' | '<=', alias?: string): { sql: string; params: (values: unknown[]) => unknown[] } {
  const ref = (k: string): string => (alias ? `${alias}.${quoteIdent(k)}` : quoteIdent(k));
  const strict = op === '>' ? '>' : '<';
  const parts: string[] = [];
  const layout: number[] = [];
  for (let i = 0; i < key.length; i++) {
    const last = i === key.length - 1;
    const eqs = key.slice(0, i).map((k) => `${ref(k)} = ?`);
    const cmp = `${ref(key[i]!)} ${last ? op : strict} ?`;
    parts.push(eqs.length ? `(${[...eqs, cmp].join(' AND ')})` : cmp);
    for (let j = 0; j <= i; j++) layout.push(j);
  }
  const sql = parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
  return { sql, params: (values) => layout.map((j) => values[j]) };
}

/**
 * The key of the row `chunkSize` rows after `from` (or from the start), never
 * past the copy's end key: the inclusive upper end of the next chunk.
 * Params: [...from (laid out), ...end (laid out), offset].
 */
export function chunkEnd(db: string, table: string, key: string[], hasFrom: boolean): string {
  const conds = [...(hasFrom ? [keyCompare(key, '>').sql] : []), keyCompare(key, '<=').sql];
  return `SELECT ${cols(key)} FROM ${quoteQualified(db, table)} WHERE ${conds.join(' AND ')} ORDER BY ${cols(key)} LIMIT 1 OFFSET ?`;
}

export function firstKey(db: string, table: string, key: string[]): string {
  return `SELECT ${cols(key)} FROM ${quoteQualified(db, table)} ORDER BY ${cols(key)} LIMIT 1`;
}

export function lastKey(db: string, table: string, key: string[]): string {
  return `SELECT ${cols(key)} FROM ${quoteQualified(db, table)} ORDER BY ${key.map((k) => `${quoteIdent(k)} DESC`).join(', ')} LIMIT 1`;
}

/**
 * One chunk of the row copy. REPLACE (not INSERT IGNORE): statements run one
 * after another on one connection, so a later read is never older than what
 * the shadow holds, and a stale row holding a unique value is pushed out (its
 * own change is still in the changelog and is re-copied by the drain).
 */
export function copyChunk(db: string, from: string, to: string, columns: string[], key: string[], hasFrom: boolean): string {
  const conds = [...(hasFrom ? [keyCompare(key, '>').sql] : []), keyCompare(key, '<=').sql];
  return `REPLACE INTO ${quoteQualified(db, to)} (${cols(columns)}) SELECT ${cols(columns)} FROM ${quoteQualified(db, from)} WHERE ${conds.join(' AND ')}`;
}

/**
 * A match on `count` keys, values flattened row by row. Written so the server
 * reads each key through the index whatever the key's shape: a single column
 * is `IN (...)`, a composite key a row constructor `(a, b) IN ((?, ?), ...)`,
 * which MySQL and MariaDB both read as one range per key. The engine's
 * sessions switch off MariaDB's IN-to-subquery conversion
 * (`in_predicate_conversion_threshold`), whose derived-table join scans the
 * whole table inside INSERT ... SELECT. An OR of ANDs reads the same ranges
 * but costs the optimizer about ten times as long per key (152 ms against
 * 14 ms for 2000 keys measured on MariaDB 10.11), which let four writers
 * outrun the drain of a composite-key table.
 */
export function keyIn(key: string[], count: number): string {
  if (key.length === 1) return `${quoteIdent(key[0]!)} IN (${Array(count).fill('?').join(', ')})`;
  const tuple = `(${key.map(() => '?').join(', ')})`;
  return `(${cols(key)}) IN (${Array(count).fill(tuple).join(', ')})`;
}

/** The changes on one side, oldest first, up to `seq` <= the given high-water mark. Params: [side, highWater, limit]. */
export function readChangelog(metaDb: string, changelog: string, key: string[]): string {
  return `SELECT \`seq\`, ${cols(key)} FROM ${quoteQualified(metaDb, changelog)} WHERE \`side\` = ? AND \`seq\` <= ? ORDER BY \`seq\` LIMIT ?`;
}

/** The newest change on one side (NULL when none). Params: [side]. */
export function lastChangelogSeq(metaDb: string, changelog: string): string {
  return `SELECT MAX(\`seq\`) FROM ${quoteQualified(metaDb, changelog)} WHERE \`side\` = ?`;
}

/** Which of the given keys have changelog rows on a side. Params: [side, ...keys]. */
export function readChangelogKeys(metaDb: string, changelog: string, key: string[], count: number): string {
  return `SELECT DISTINCT ${cols(key)} FROM ${quoteQualified(metaDb, changelog)} WHERE \`side\` = ? AND ${keyIn(key, count)}`;
}

export function countChangelog(metaDb: string, changelog: string): string {
  return `SELECT \`side\`, COUNT(*) AS \`n\` FROM ${quoteQualified(metaDb, changelog)} GROUP BY \`side\``;
}

/**
 * Deletes exactly the changelog rows read, each found through the primary
 * key: a derived table of the seq values drives the join, so no other row is
 * read. A plain `seq IN (...)` naming most of the changelog is planned as a
 * full scan, and a scanning DELETE waits on the uncommitted row of every open
 * transaction that wrote to the table.
 */
export function deleteChangelog(metaDb: string, changelog: string, count: number): string {
  const t = quoteQualified(metaDb, changelog);
  const seqs = Array.from({ length: count }, (_, i) => `SELECT CAST(? AS UNSIGNED)${i === 0 ? ' AS `seq`' : ''}`).join(' UNION ALL ');
  return `DELETE ${t} FROM (${seqs}) AS \`sb_seqs\` STRAIGHT_JOIN ${t} ON ${t}.\`seq\` = \`sb_seqs\`.\`seq\``;
}

export function deleteKeys(db: string, table: string, key: string[], count: number): string {
  return `DELETE FROM ${quoteQualified(db, table)} WHERE ${keyIn(key, count)}`;
}

/**
 * Re-copies changed rows; `replace` for the forward direction, plain INSERT
 * towards the old table so a row that no longer fits fails loudly. No table
 * aliases: under LOCK TABLES an alias counts as an unlocked table.
 */
export function copyKeys(db: string, from: string, to: string, columns: string[], key: string[], count: number, replace: boolean): string {
  return `${replace ? 'REPLACE' : 'INSERT'} INTO ${quoteQualified(db, to)} (${cols(columns)}) SELECT ${cols(columns)} FROM ${quoteQualified(db, from)} WHERE ${keyIn(key, count)}`;
}

export function renameTables(db: string, pairs: { from: string; to: string }[]): string {
  return `RENAME TABLE ${pairs.map((p) => `${quoteQualified(db, p.from)} TO ${quoteQualified(db, p.to)}`).join(', ')}`;
}

export function lockTablesWrite(tables: { db: string; name: string }[]): string {
  return `LOCK TABLES ${tables.map((t) => `${quoteQualified(t.db, t.name)} WRITE`).join(', ')}`;
}

export const SENTRY_COMMENT = 'schemabranch cut-over sentry';

/** MEMORY: the sentry is dropped while the tables are locked, and an InnoDB drop costs tens of milliseconds more. */
export function createSentry(db: string, sentry: string): string {
  return `CREATE TABLE ${quoteQualified(db, sentry)} (\`id\` int NOT NULL PRIMARY KEY) ENGINE=MEMORY COMMENT='${SENTRY_COMMENT}'`;
}

/** A foreign key as the migration moves it: on `table`, referencing `refTable` in the same database. */
export interface MovedForeignKey {
  table: string;
  name: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete?: string;
  onUpdate?: string;
}

const FK_RULES = ['RESTRICT', 'CASCADE', 'SET NULL', 'NO ACTION', 'SET DEFAULT'];

/** Referential actions are spliced as keywords: only the five the server knows pass. */
function fkRule(rule: string): string {
  const r = rule.trim().toUpperCase().replace(/\s+/g, ' ');
  if (!FK_RULES.includes(r)) throw new Error(`Unsupported foreign key action ${JSON.stringify(rule)}.`);
  return r;
}

export function dropForeignKey(db: string, table: string, name: string): string {
  return `ALTER TABLE ${quoteQualified(db, table)} DROP FOREIGN KEY ${quoteIdent(name)}`;
}

/**
 * Run with foreign_key_checks = 0: the server then adds the key in place (metadata only, no row
 * check, no copy). RESTRICT is left unsaid: it is what no clause means (information_schema reports
 * it for a key written without one), and InnoDB's in-place add stores a spelled-out RESTRICT as
 * NO ACTION, which SHOW CREATE TABLE would then print although the file never said it.
 */
export function addForeignKey(db: string, table: string, fk: Omit<MovedForeignKey, 'table'>): string {
  let text = `ALTER TABLE ${quoteQualified(db, table)} ADD CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${cols(fk.columns)}) REFERENCES ${quoteQualified(db, fk.refTable)} (${cols(fk.refColumns)})`;
  const onDelete = fk.onDelete === undefined ? 'RESTRICT' : fkRule(fk.onDelete);
  const onUpdate = fk.onUpdate === undefined ? 'RESTRICT' : fkRule(fk.onUpdate);
  if (onDelete !== 'RESTRICT') text += ` ON DELETE ${onDelete}`;
  if (onUpdate !== 'RESTRICT') text += ` ON UPDATE ${onUpdate}`;
  return text;
}

/** The index a foreign key needs, named like the key (as the server would name it). */
export function addKey(db: string, table: string, name: string, columns: string[]): string {
  return `ALTER TABLE ${quoteQualified(db, table)} ADD KEY ${quoteIdent(name)} (${cols(columns)})`;
}

/** Foreign keys declared on a table or referencing it, one row per column. Params: [db, table, table]. */
export const READ_FOREIGN_KEYS =
  'SELECT rc.CONSTRAINT_NAME AS name, rc.TABLE_NAME AS tbl, rc.REFERENCED_TABLE_NAME AS ref, rc.DELETE_RULE AS del, rc.UPDATE_RULE AS upd, k.COLUMN_NAME AS col, k.REFERENCED_COLUMN_NAME AS refCol ' +
  'FROM information_schema.REFERENTIAL_CONSTRAINTS rc JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.TABLE_NAME = rc.TABLE_NAME AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME ' +
  'WHERE rc.CONSTRAINT_SCHEMA = ? AND k.REFERENCED_TABLE_SCHEMA = rc.CONSTRAINT_SCHEMA AND (rc.TABLE_NAME = ? OR rc.REFERENCED_TABLE_NAME = ?) ' +
  'ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION';

export function countRows(db: string, table: string): string {
  return `SELECT COUNT(*) AS \`n\` FROM ${quoteQualified(db, table)}`;
}

/** Unique indexes of a table (nullable columns included), one row per column. Params: [db, table]. */
export const READ_UNIQUE_INDEXES = 'SELECT INDEX_NAME AS i, COLUMN_NAME AS c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX';

/** Foreign keys that cross into or out of a database for one table: `child -> parent` with schemas. Params: [db, table, db, db, table, db]. */
export const READ_CROSS_DATABASE_FOREIGN_KEYS =
  'SELECT DISTINCT CONSTRAINT_NAME AS name, TABLE_SCHEMA AS cs, TABLE_NAME AS ct, REFERENCED_TABLE_SCHEMA AS ps, REFERENCED_TABLE_NAME AS pt FROM information_schema.KEY_COLUMN_USAGE ' +
  'WHERE REFERENCED_TABLE_NAME IS NOT NULL AND ((REFERENCED_TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME = ? AND TABLE_SCHEMA <> ?) OR (TABLE_SCHEMA = ? AND TABLE_NAME = ? AND REFERENCED_TABLE_SCHEMA <> ?)) ORDER BY CONSTRAINT_NAME';

/** One row of `table` whose key columns (all non-NULL) match no row of the referenced table: what a key added with foreign_key_checks = 0 would not notice. */
export function findOrphan(db: string, table: string, fk: { columns: string[]; refTable: string; refColumns: string[] }): string {
  const notNull = fk.columns.map((c) => `\`c\`.${quoteIdent(c)} IS NOT NULL`).join(' AND ');
  const match = fk.columns.map((c, i) => `\`p\`.${quoteIdent(fk.refColumns[i]!)} = \`c\`.${quoteIdent(c)}`).join(' AND ');
  return `SELECT ${fk.columns.map((c) => `\`c\`.${quoteIdent(c)}`).join(', ')} FROM ${quoteQualified(db, table)} AS \`c\` WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${quoteQualified(db, fk.refTable)} AS \`p\` WHERE ${match}) LIMIT 1`;
}
