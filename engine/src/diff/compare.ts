/**
 * Equality of model elements as the diff sees them: `source` is ignored (a
 * model from files and one read from a server must compare equal), column
 * and index names compare case-insensitively (MySQL treats them so), table
 * names exactly (they are file names on Linux).
 */
import type { Check, Column, ColumnType, ForeignKey, Index, Table, TableOptions } from '../schema/model.js';
import { isStringType } from '../schema/normalize-column.js';

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The element called `name`: case-insensitively for columns and indexes (`ci`), exactly for constraints. */
export function byName<T extends { name: string }>(items: T[], name: string, ci: boolean): T | undefined {
  return items.find((i) => (ci ? sameName(i.name, name) : i.name === name));
}

export function sameType(a: ColumnType, b: ColumnType): boolean {
  return (
    a.base === b.base &&
    a.length === b.length &&
    a.scale === b.scale &&
    !!a.unsigned === !!b.unsigned &&
    !!a.zerofill === !!b.zerofill &&
    JSON.stringify(a.values) === JSON.stringify(b.values)
  );
}

/** Everything but the name and the source. */
export function sameColumnDefinition(a: Column, b: Column): boolean {
  return (
    sameType(a.type, b.type) &&
    a.nullable === b.nullable &&
    a.default === b.default &&
    a.autoIncrement === b.autoIncrement &&
    a.onUpdate === b.onUpdate &&
    a.charset === b.charset &&
    a.collation === b.collation &&
    a.generated?.expression === b.generated?.expression &&
    a.generated?.stored === b.generated?.stored &&
    a.comment === b.comment &&
    !!a.invisible === !!b.invisible
  );
}

export function sameIndex(a: Index, b: Index): boolean {
  return (
    sameName(a.name, b.name) &&
    a.kind === b.kind &&
    a.using === b.using &&
    a.comment === b.comment &&
    !!a.invisible === !!b.invisible &&
    a.parts.length === b.parts.length &&
    a.parts.every((p, i) => {
      const q = b.parts[i];
      return sameName(p.column, q.column) && p.expression === q.expression && p.length === q.length && !!p.descending === !!q.descending;
    })
  );
}

/**
 * InnoDB implements RESTRICT, NO ACTION and "not given" identically (checked at
 * once), and servers disagree on which one they report, so they compare equal.
 */
function referentialAction(action: string | undefined): string {
  const upper = (action ?? 'RESTRICT').toUpperCase();
  return upper === 'NO ACTION' ? 'RESTRICT' : upper;
}

export function sameForeignKey(a: ForeignKey, b: ForeignKey): boolean {
  const sameList = (x: string[], y: string[]): boolean => x.length === y.length && x.every((n, i) => sameName(n, y[i]));
  return (
    a.name === b.name &&
    a.refTable === b.refTable &&
    sameList(a.columns, b.columns) &&
    sameList(a.refColumns, b.refColumns) &&
    referentialAction(a.onDelete) === referentialAction(b.onDelete) &&
    referentialAction(a.onUpdate) === referentialAction(b.onUpdate)
  );
}

export function sameCheck(a: Check, b: Check): boolean {
  return a.name === b.name && a.expression === b.expression && !!a.notEnforced === !!b.notEnforced && a.column?.toLowerCase() === b.column?.toLowerCase();
}

export function sameTableOptions(a: TableOptions, b: TableOptions): boolean {
  return (
    a.engine?.toLowerCase() === b.engine?.toLowerCase() &&
    a.charset === b.charset &&
    a.collation === b.collation &&
    a.comment === b.comment &&
    a.rowFormat?.toLowerCase() === b.rowFormat?.toLowerCase() &&
    sameOtherOptions(a.other, b.other) &&
    a.partitioning === b.partitioning
  );
}

export function sameOtherOptions(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys].every((k) => x[k] === y[k]);
}

/** Whether the stored form of a column changes (what InnoDB refuses under a foreign key). */
export function sameColumnStorage(a: Column | undefined, b: Column | undefined): boolean {
  if (!a || !b) return a === b;
  return sameType(a.type, b.type) && a.charset === b.charset && a.collation === b.collation;
}

/**
 * The column with the charset and collation it really has. Normalized models
 * leave them out when they equal the table's default, but ALTER TABLE ... DEFAULT
 * CHARSET does not convert existing columns, so a change of the table default
 * is a change of every column that inherits it.
 */
export function withEffectiveCharset(col: Column, table: Table): Column {
  if (col.charset !== undefined || !isStringType(col.type.base) || table.options.charset === undefined) return col;
  return { ...col, charset: table.options.charset, collation: table.options.collation };
}
