/**
 * One table's ALTER: which clauses, in which order, and why each is risky.
 *
 * Clause order inside the ALTER (the server applies drops before adds, but the
 * text is read by people and by the shadow-table migration, so it is fixed):
 *   DROP FOREIGN KEY, DROP INDEX / PRIMARY KEY, DROP CONSTRAINT (checks),
 *   DROP COLUMN, ADD/MODIFY COLUMN in the target column order (columns.ts),
 *   ADD PRIMARY KEY / INDEX, ALTER INDEX (visibility), ADD CONSTRAINT CHECK,
 *   ADD CONSTRAINT FOREIGN KEY, table options, then PARTITION BY / REMOVE
 *   PARTITIONING without a comma.
 * A changed index, check or foreign key is a drop plus an add of the same name.
 */
import type { ChangeReason } from './change.js';
import type { Check, ForeignKey, Index, Table, TableOptions } from '../schema/model.js';
import { renderCheck, renderForeignKey, renderIndexDefinition, renderTableOptions, type Flavor } from '../sql/ddl.js';
import { sqlExpression } from '../sql/words.js';
import { quoteIdent, quoteString } from '../sql/quote.js';
import { columnClauses, droppedColumnReasons, recreatedColumns } from './columns.js';
import { byName, sameCheck, sameForeignKey, sameIndex, sameTableOptions } from './compare.js';

export interface TableAlterPlan {
  /** Every clause except the foreign-key additions and the table options, in statement order. */
  clauses: string[];
  /** Table option clauses (they come last, after any foreign-key additions). */
  optionClauses: string[];
  /** ADD CONSTRAINT ... FOREIGN KEY clauses, kept apart so the schema diff can place them. */
  addForeignKeys: ForeignKey[];
  /** Foreign keys this ALTER drops. */
  droppedForeignKeys: ForeignKey[];
  /** Names of foreign keys dropped and re-added under the same name (must be re-added in a later statement). */
  readdedForeignKeys: Set<string>;
  reasons: ChangeReason[];
}

/** A column this ALTER adds that holds NULL in every existing row. */
function newAllNull(from: Table, to: Table, name: string): boolean {
  const col = byName(to.columns, name, true);
  return !byName(from.columns, name, true) && !!col && col.nullable && (col.default === undefined || col.default === 'NULL') && !col.generated;
}

function indexReasons(from: Table, to: Table, idx: Index): ChangeReason[] {
  if (idx.kind !== 'primary' && idx.kind !== 'unique') return [];
  // Rows with a NULL in a unique key never collide: a new all-NULL column makes every existing row unique.
  if (idx.kind === 'unique' && idx.parts.some((p) => p.column && newAllNull(from, to, p.column))) return [];
  // A unique key over a superset of an existing unique key's full columns cannot find duplicates.
  const cols = new Set(idx.parts.map((p) => p.column.toLowerCase()));
  const implied = from.indexes.some(
    (old) => (old.kind === 'primary' || old.kind === 'unique') && old.parts.every((p) => p.length === undefined && cols.has(p.column.toLowerCase())),
  );
  if (implied && idx.parts.every((p) => p.length === undefined)) return [];
  const what = idx.kind === 'primary' ? 'PRIMARY KEY' : `Unique index ${quoteIdent(idx.name)}`;
  return [{ class: 'data-dependent', code: 'add-unique-index', message: `${what} is added: the ALTER fails if existing rows hold duplicates.`, index: idx.name }];
}

function dropIndexClause(idx: Index): string {
  return idx.kind === 'primary' ? 'DROP PRIMARY KEY' : `DROP INDEX ${quoteIdent(idx.name)}`;
}

/** Numeric table options the servers reset with 0 (they refuse `=DEFAULT`, unlike STATS_* and PACK_KEYS). */
const RESET_WITH_ZERO = new Set(['KEY_BLOCK_SIZE', 'MAX_ROWS', 'MIN_ROWS', 'CHECKSUM', 'AVG_ROW_LENGTH', 'DELAY_KEY_WRITE', 'PAGE_COMPRESSED', 'PAGE_CHECKSUM']);

/**
 * Option clauses for what changed; a removed comment or row format is reset
 * explicitly, a removed `other` option to DEFAULT (or 0). Partitioning is a separate
 * trailing clause (see appendPartitioning).
 */
function optionClauses(from: TableOptions, to: TableOptions, reasons: ChangeReason[], table: string): string[] {
  if (sameTableOptions(from, to)) return [];
  const changed: TableOptions = {};
  if (from.engine?.toLowerCase() !== to.engine?.toLowerCase() && to.engine !== undefined) {
    changed.engine = to.engine;
    reasons.push({ class: 'data-dependent', code: 'changed-engine', message: `Table ${quoteIdent(table)} moves from engine ${from.engine ?? 'default'} to ${to.engine}: features such as foreign keys, transactions and full-text indexes differ.` });
  }
  if (from.charset !== to.charset || from.collation !== to.collation) {
    changed.charset = to.charset;
    changed.collation = to.collation;
  }
  if (from.rowFormat?.toLowerCase() !== to.rowFormat?.toLowerCase()) changed.rowFormat = to.rowFormat ?? 'DEFAULT';
  const other: Record<string, string> = {};
  for (const k of new Set([...Object.keys(from.other ?? {}), ...Object.keys(to.other ?? {})])) {
    if (from.other?.[k] !== to.other?.[k]) other[k] = to.other?.[k] ?? (RESET_WITH_ZERO.has(k) ? '0' : 'DEFAULT');
  }
  if (Object.keys(other).length > 0) changed.other = other;
  const parts = [renderTableOptions(changed)];
  if (from.comment !== to.comment) parts.push(`COMMENT=${quoteString(to.comment ?? '')}`);
  const text = parts.filter((p) => p !== '').join(' ');
  return text ? [text] : [];
}

/**
 * PARTITION BY / REMOVE PARTITIONING must be the last part of an ALTER and is
 * not separated by a comma, so it is appended to the last clause.
 */
export function appendPartitioning(clauses: string[], from: TableOptions, to: TableOptions): string[] {
  if (from.partitioning === to.partitioning) return clauses;
  const partition = to.partitioning !== undefined ? sqlExpression(to.partitioning, 'partitioning clause') : 'REMOVE PARTITIONING';
  if (clauses.length === 0) return [partition];
  return [...clauses.slice(0, -1), `${clauses[clauses.length - 1]} ${partition}`];
}

/**
 * The plan for turning `from` into `to` (same table name). Empty clauses and no
 * FK changes = nothing to do. `forceReadd` names unchanged foreign keys that must
 * still be dropped and re-added (their columns change type on either side).
 */
export function planTableAlter(from: Table, to: Table, forceReadd: ReadonlySet<string> = new Set(), flavor: Flavor = 'mariadb'): TableAlterPlan {
  const reasons: ChangeReason[] = [];
  const droppedFks = from.foreignKeys.filter((fk) => {
    const next = byName(to.foreignKeys, fk.name, false);
    return !next || !sameForeignKey(fk, next) || forceReadd.has(fk.name);
  });
  const addFks = to.foreignKeys.filter((fk) => {
    const prev = byName(from.foreignKeys, fk.name, false);
    return !prev || !sameForeignKey(prev, fk) || forceReadd.has(fk.name);
  });
  const readded = new Set(addFks.filter((fk) => droppedFks.some((d) => d.name === fk.name)).map((fk) => fk.name));
  const recreated = recreatedColumns(from, to);
  const touches = (idx: Index): boolean => idx.parts.some((p) => recreated.has(p.column.toLowerCase()));
  // Only the visibility differs: ALTER INDEX, which is instant (and MariaDB loses IGNORED on a drop + add of the same index).
  const visibilityOnly = to.indexes.filter((i) => {
    const prev = byName(from.indexes, i.name, true);
    return !!prev && !!prev.invisible !== !!i.invisible && sameIndex({ ...prev, invisible: i.invisible }, i) && !touches(i);
  });
  const droppedIdx = from.indexes.filter((i) => {
    const next = byName(to.indexes, i.name, true);
    return !next || (!sameIndex(i, next) && !visibilityOnly.includes(next)) || touches(i);
  });
  const addIdx = to.indexes.filter((i) => {
    const prev = byName(from.indexes, i.name, true);
    return !prev || (!sameIndex(prev, i) && !visibilityOnly.includes(i)) || touches(i);
  });
  // Column-level checks travel with their column (MODIFY COLUMN); these are the table-level ones.
  const tableChecks = (t: Table): Check[] => t.checks.filter((c) => c.column === undefined);
  const mentions = (chk: Check): boolean => [...recreated].some((name) => chk.expression.toLowerCase().includes('`' + name.replace(/`/g, '``') + '`'));
  const droppedChecks = tableChecks(from).filter((c) => {
    const next = byName(tableChecks(to), c.name, false);
    return !next || !sameCheck(c, next) || mentions(c);
  });
  const addChecks = tableChecks(to).filter((c) => {
    const prev = byName(tableChecks(from), c.name, false);
    return !prev || !sameCheck(prev, c) || mentions(c);
  });
  const columnDrops = droppedColumnReasons(from, to);

  for (const fk of droppedFks) {
    if (!readded.has(fk.name)) reasons.push({ class: 'safe', code: 'drop-foreign-key', message: `Foreign key ${quoteIdent(fk.name)} is dropped: ${quoteIdent(fk.refTable)} references are no longer enforced.` });
  }
  for (const idx of droppedIdx) {
    if (byName(addIdx, idx.name, true)) continue;
    const what = idx.kind === 'primary' ? 'The PRIMARY KEY is dropped (InnoDB then clusters rows on a hidden row id)' : `Index ${quoteIdent(idx.name)} is dropped`;
    reasons.push({ class: 'safe', code: 'drop-index', message: `${what}: queries that used it may slow down.`, index: idx.name });
  }
  for (const chk of droppedChecks) {
    if (!byName(addChecks, chk.name, false)) reasons.push({ class: 'safe', code: 'drop-check', message: `CHECK ${quoteIdent(chk.name)} is dropped.` });
  }
  reasons.push(...columnDrops.reasons);
  const clauses = [
    ...droppedFks.map(dropForeignKeyClause),
    ...droppedIdx.map(dropIndexClause),
    ...droppedChecks.map((c) => `DROP CONSTRAINT ${quoteIdent(c.name)}`),
    ...columnDrops.clauses,
    ...from.columns.filter((c) => recreated.has(c.name.toLowerCase())).map((c) => `DROP COLUMN ${quoteIdent(c.name)}`),
    ...columnClauses(from, to, reasons, recreated),
    ...addIdx.map((idx) => `ADD ${renderIndexDefinition(idx, flavor)}`),
    ...visibilityOnly.map((idx) => alterIndexVisibility(idx, flavor)),
    ...addChecks.map((c) => `ADD ${renderCheck(c)}`),
  ];
  for (const idx of addIdx) reasons.push(...indexReasons(from, to, idx));
  for (const chk of addChecks) {
    // A check dropped and re-added unchanged (around a recreated column) validates nothing new.
    if (from.checks.some((c) => sameCheck(c, chk))) continue;
    reasons.push({ class: 'data-dependent', code: 'add-check', message: `CHECK ${quoteIdent(chk.name)} is added: the ALTER fails if existing rows violate it.` });
  }
  for (const fk of addFks) {
    const prev = byName(droppedFks, fk.name, false);
    // Re-adding the same reference with other ON DELETE/ON UPDATE actions checks nothing new.
    if (prev && prev.refTable === fk.refTable && sameForeignKey({ ...prev, onDelete: fk.onDelete, onUpdate: fk.onUpdate }, fk)) continue;
    // A NULL in any of its columns exempts a row from the check (MATCH SIMPLE): new all-NULL columns cannot fail.
    if (fk.columns.some((name) => newAllNull(from, to, name))) continue;
    reasons.push({ class: 'data-dependent', code: 'add-foreign-key', message: `Foreign key ${quoteIdent(fk.name)} is added: the ALTER fails if existing rows reference missing ${quoteIdent(fk.refTable)} rows.` });
  }
  const options = optionClauses(from.options, to.options, reasons, to.name);
  return { clauses, optionClauses: options, addForeignKeys: addFks, droppedForeignKeys: droppedFks, readdedForeignKeys: readded, reasons };
}

function alterIndexVisibility(idx: Index, flavor: Flavor): string {
  const state = flavor === 'mysql' ? (idx.invisible ? 'INVISIBLE' : 'VISIBLE') : idx.invisible ? 'IGNORED' : 'NOT IGNORED';
  return `ALTER INDEX ${quoteIdent(idx.name)} ${state}`;
}

export function dropForeignKeyClause(fk: ForeignKey): string {
  return `DROP FOREIGN KEY ${quoteIdent(fk.name)}`;
}

export function addForeignKeyClause(fk: ForeignKey): string {
  return `ADD ${renderForeignKey(fk)}`;
}
