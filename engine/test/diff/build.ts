/** Hand-built model elements for unit tests, as normalizeSchema would produce them. */
import type { Column, ColumnType, ForeignKey, Index, Table } from '../../src/schema/model.js';

export function col(name: string, type: string | ColumnType, extra: Partial<Column> = {}): Column {
  const t: ColumnType = typeof type === 'string' ? { base: type } : type;
  return { name, type: t, nullable: true, autoIncrement: false, ...extra };
}

export function pk(...columns: string[]): Index {
  return { name: 'PRIMARY', kind: 'primary', parts: columns.map((column) => ({ column })) };
}

export function key(name: string, columns: string[], kind: Index['kind'] = 'index'): Index {
  return { name, kind, parts: columns.map((column) => ({ column })) };
}

export function fk(name: string, columns: string[], refTable: string, refColumns: string[], extra: Partial<ForeignKey> = {}): ForeignKey {
  return { name, columns, refTable, refColumns, ...extra };
}

export function table(name: string, columns: Column[], extra: Partial<Table> = {}): Table {
  return { name, columns, indexes: [], foreignKeys: [], checks: [], options: { engine: 'InnoDB' }, nolint: [], ...extra };
}

export const id = (): Column => col('id', 'int', { nullable: false });
