/**
 * Column clauses of one table's ALTER: drops, adds and modifies in the target
 * column order (a moved column is MODIFY ... FIRST/AFTER), with their reasons.
 */
import type { ChangeReason } from './change.js';
import type { Column, Table } from '../schema/model.js';
import { checksOfColumn, renderColumnDefinition } from '../sql/ddl.js';
import { quoteIdent } from '../sql/quote.js';
import { classifyAddedColumn, classifyColumnChange } from './classify.js';
import { byName, sameColumnDefinition, sameName, withEffectiveCharset } from './compare.js';

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

export function columnClauses(from: Table, to: Table, reasons: ChangeReason[], recreated: ReadonlySet<string>): string[] {
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

export function droppedColumnReasons(from: Table, to: Table): { clauses: string[]; reasons: ChangeReason[] } {
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

/**
 * Generated columns that switch between VIRTUAL and STORED: neither server can
 * MODIFY that ("not yet supported for generated columns"), so they are dropped
 * and added again; their values are computed, so nothing is lost. Indexes and
 * CHECKs on them are dropped and re-added with them.
 */
export function recreatedColumns(from: Table, to: Table): Set<string> {
  const names = new Set<string>();
  for (const col of to.columns) {
    const old = byName(from.columns, col.name, true);
    if (old?.generated && col.generated && old.generated.stored !== col.generated.stored) names.add(col.name.toLowerCase());
  }
  return names;
}

