/**
 * One table's ALTER: which clauses, in which order, and why each is risky.
 *
 * Clause order inside the ALTER (the server applies drops before adds, but the
 * text is read by people and by the shadow-table migration, so it is fixed):
 *   DROP FOREIGN KEY, DROP INDEX / PRIMARY KEY, DROP CONSTRAINT (checks),
 *   DROP COLUMN, ADD/MODIFY COLUMN in the target column order,
 *   ADD PRIMARY KEY / INDEX, ADD CONSTRAINT CHECK, ADD CONSTRAINT FOREIGN KEY,
 *   table options.
 */
import type { ChangeReason } from './change.js';
import type { Check, Column, ForeignKey, Index, Table, TableOptions } from '../schema/model.js';
import { checksOfColumn, renderCheck, renderColumnDefinition, renderForeignKey, renderIndexDefinition, renderTableOptions, type Flavor } from '../sql/ddl.js';
import { quoteIdent, quoteString } from '../sql/quote.js';
import { classifyAddedColumn, classifyColumnChange } from './classify.js';
import { sameCheck, sameColumnDefinition, sameForeignKey, sameIndex, sameName, sameTableOptions, withEffectiveCharset } from './compare.js';

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

function byName<T extends { name: string }>(items: T[], name: string, ci: boolean): T | undefined {
  return items.find((i) => (ci ? sameName(i.name, name) : i.name === name));
}

/** Longest common subsequence of two name lists (case-insensitive): the columns that need not move. */
function stableColumns(from: string[], to: string[]): Set<string> {
  const n = from.length;
  const m = to.length;
  const len: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i][j] = sameName(from[i], to[j]) ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
    }
  }
  const stable = new Set<string>();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (sameName(from[i], to[j])) {
      stable.add(to[j].toLowerCase());
      i++;
      j++;
    } else if (len[i + 1][j] >= len[i][j + 1]) i++;
    else j++;
  }
  return stable;
}

/** Column-level CHECK expressions (MariaDB keeps them in the column definition). */
function checkTexts(table: Table, column: string): string[] {
  return checksOfColumn(table, column).map((c) => c.expression + (c.notEnforced ? ' NOT ENFORCED' : ''));
}

function columnClauses(from: Table, to: Table, reasons: ChangeReason[], recreated: ReadonlySet<string>): string[] {
  const clauses: string[] = [];
  const kept = (list: Column[], other: Column[]): string[] =>
    list.filter((c) => byName(other, c.name, true) && !recreated.has(c.name.toLowerCase())).map((c) => c.name);
  const stable = stableColumns(kept(from.columns, to.columns), kept(to.columns, from.columns));
  // New columns after the last existing one are appended without a position clause.
  let trailingFrom = to.columns.length;
  while (trailingFrom > 0 && !byName(from.columns, to.columns[trailingFrom - 1].name, true)) trailingFrom--;
  to.columns.forEach((col, i) => {
    const position = i === 0 ? ' FIRST' : ` AFTER ${quoteIdent(to.columns[i - 1].name)}`;
    const old = byName(from.columns, col.name, true);
    if (recreated.has(col.name.toLowerCase())) {
      clauses.push(`ADD COLUMN ${renderColumnDefinition(col, checksOfColumn(to, col.name))}${position}`);
      return;
    }
    if (!old) {
      clauses.push(`ADD COLUMN ${renderColumnDefinition(col, checksOfColumn(to, col.name))}${i >= trailingFrom ? '' : position}`);
      reasons.push(...classifyAddedColumn(col));
      return;
    }
    const was = withEffectiveCharset(old, from);
    const now = withEffectiveCharset(col, to);
    // Spell the charset out when only the table default moved: the server would not convert the column otherwise.
    const charsetMoves = was.charset !== now.charset || was.collation !== now.collation;
    const definition = renderColumnDefinition(charsetMoves ? now : col, checksOfColumn(to, col.name));
    const oldChecks = checkTexts(from, old.name);
    const newChecks = checkTexts(to, col.name);
    const moved = !stable.has(col.name.toLowerCase());
    const changed = !sameColumnDefinition(was, now) || oldChecks.join('\0') !== newChecks.join('\0');
    if (moved || changed) clauses.push(`MODIFY COLUMN ${definition}${moved ? position : ''}`);
    if (changed) reasons.push(...classifyColumnChange(was, now));
    for (const chk of newChecks.filter((c) => !oldChecks.includes(c))) {
      reasons.push({ class: 'data-dependent', code: 'add-check', message: `CHECK (${chk}) is added to column ${quoteIdent(col.name)}: the ALTER fails if existing rows violate it.`, column: col.name });
    }
  });
  return clauses;
}

function droppedColumnReasons(from: Table, to: Table): { clauses: string[]; reasons: ChangeReason[] } {
  const dropped = from.columns.filter((c) => !byName(to.columns, c.name, true));
  const added = to.columns.filter((c) => !byName(from.columns, c.name, true));
  const reasons: ChangeReason[] = [];
  const paired = new Set<Column>();
  for (const col of dropped) {
    reasons.push({ class: 'destructive', code: 'drop-column', message: `Column ${quoteIdent(col.name)} and its values are dropped.`, column: col.name });
    const twin = added.find((a) => !paired.has(a) && sameColumnDefinition(col, a));
    if (twin) {
      paired.add(twin);
      reasons.push({
        class: 'needs-decision',
        code: 'possible-rename',
        message: `Column ${quoteIdent(col.name)} is dropped and ${quoteIdent(twin.name)} added with the same definition. If this is a rename, the values in ${quoteIdent(col.name)} would be lost: rename it with a separate migration instead, or confirm the drop.`,
        column: twin.name,
      });
    }
  }
  return { clauses: dropped.map((c) => `DROP COLUMN ${quoteIdent(c.name)}`), reasons };
}

function indexReasons(from: Table, idx: Index): ChangeReason[] {
  if (idx.kind !== 'primary' && idx.kind !== 'unique') return [];
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
  const partition = to.partitioning ?? 'REMOVE PARTITIONING';
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
    if (!byName(addIdx, idx.name, true)) reasons.push({ class: 'safe', code: 'drop-index', message: `Index ${quoteIdent(idx.name)} is dropped: queries that used it may slow down.`, index: idx.name });
  }
  for (const chk of droppedChecks) {
    if (!byName(addChecks, chk.name, false)) reasons.push({ class: 'safe', code: 'drop-check', message: `CHECK ${quoteIdent(chk.name)} is dropped.` });
  }
  reasons.push(...columnDrops.reasons);
  const clauses = [
    ...droppedFks.map((fk) => `DROP FOREIGN KEY ${quoteIdent(fk.name)}`),
    ...droppedIdx.map(dropIndexClause),
    ...droppedChecks.map((c) => `DROP CONSTRAINT ${quoteIdent(c.name)}`),
    ...columnDrops.clauses,
    ...from.columns.filter((c) => recreated.has(c.name.toLowerCase())).map((c) => `DROP COLUMN ${quoteIdent(c.name)}`),
    ...columnClauses(from, to, reasons, recreated),
    ...addIdx.map((idx) => `ADD ${renderIndexDefinition(idx, flavor)}`),
    ...visibilityOnly.map((idx) => alterIndexVisibility(idx, flavor)),
    ...addChecks.map((c) => `ADD ${renderCheck(c)}`),
  ];
  for (const idx of addIdx) reasons.push(...indexReasons(from, idx));
  for (const chk of addChecks) {
    // A check dropped and re-added unchanged (around a recreated column) validates nothing new.
    if (from.checks.some((c) => sameCheck(c, chk))) continue;
    reasons.push({ class: 'data-dependent', code: 'add-check', message: `CHECK ${quoteIdent(chk.name)} is added: the ALTER fails if existing rows violate it.` });
  }
  for (const fk of addFks) {
    const prev = byName(droppedFks, fk.name, false);
    // Re-adding the same reference with other ON DELETE/ON UPDATE actions checks nothing new.
    if (prev && prev.refTable === fk.refTable && sameForeignKey({ ...prev, onDelete: fk.onDelete, onUpdate: fk.onUpdate }, fk)) continue;
    reasons.push({ class: 'data-dependent', code: 'add-foreign-key', message: `Foreign key ${quoteIdent(fk.name)} is added: the ALTER fails if existing rows reference missing ${quoteIdent(fk.refTable)} rows.` });
  }
  const options = optionClauses(from.options, to.options, reasons, to.name);
  return { clauses, optionClauses: options, addForeignKeys: addFks, droppedForeignKeys: droppedFks, readdedForeignKeys: readded, reasons };
}

/**
 * Generated columns that switch between VIRTUAL and STORED: neither server can
 * MODIFY that ("not yet supported for generated columns"), so they are dropped
 * and added again; their values are computed, so nothing is lost. Indexes and
 * CHECKs on them are dropped and re-added with them.
 */
function recreatedColumns(from: Table, to: Table): Set<string> {
  const names = new Set<string>();
  for (const col of to.columns) {
    const old = byName(from.columns, col.name, true);
    if (old?.generated && col.generated && old.generated.stored !== col.generated.stored) names.add(col.name.toLowerCase());
  }
  return names;
}

function alterIndexVisibility(idx: Index, flavor: Flavor): string {
  const state = flavor === 'mysql' ? (idx.invisible ? 'INVISIBLE' : 'VISIBLE') : idx.invisible ? 'IGNORED' : 'NOT IGNORED';
  return `ALTER INDEX ${quoteIdent(idx.name)} ${state}`;
}

export function addForeignKeyClause(fk: ForeignKey): string {
  return `ADD ${renderForeignKey(fk)}`;
}
