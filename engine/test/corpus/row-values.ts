/**
 * Values a writer can put in any column of a real table, derived from the row's
 * key so that rows stay distinct wherever a unique key needs them to be.
 */
import type { Column, Table } from '../../src/schema/model.js';

const INT_MAX: Record<string, number> = { tinyint: 127, smallint: 32_767, mediumint: 8_388_607, int: 2_147_483_647, integer: 2_147_483_647, bigint: Number.MAX_SAFE_INTEGER };

export function isInteger(col: Column): boolean {
  return col.type.base in INT_MAX;
}

/** The largest value an integer column holds. */
export function integerMax(col: Column): number {
  const max = INT_MAX[col.type.base] ?? 0;
  return col.type.unsigned && col.type.base !== 'bigint' ? max * 2 + 1 : max;
}

const STRINGS = ['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob'];

/** Whether `id` written into the column stays distinct for every row (it can carry a unique key). */
export function carriesId(col: Column): boolean {
  if (isInteger(col)) return integerMax(col) >= 10_000_000;
  if (STRINGS.includes(col.type.base)) return col.type.length === undefined || col.type.length >= 8;
  return ['uuid', 'inet4', 'inet6'].includes(col.type.base);
}

/** A value for `col` in the row keyed `id`, distinct per id when `distinct`; undefined when this kind of column is not supported. */
export function valueFor(col: Column, id: number, distinct: boolean): string | number | undefined {
  const t = col.type;
  if (isInteger(col)) return distinct ? id : id % Math.min(integerMax(col) + 1, 100);
  if (STRINGS.includes(t.base)) return t.length !== undefined && t.length < 8 ? 'x'.repeat(Math.min(t.length, 1)) : String(id);
  switch (t.base) {
    case 'decimal':
    case 'numeric':
    case 'float':
    case 'double':
      return 0;
    case 'date':
      return '2024-01-01';
    case 'datetime':
    case 'timestamp':
      return '2024-01-01 00:00:00';
    case 'time':
      return '00:00:00';
    case 'year':
      return 2024;
    case 'bit':
      return 0;
    case 'enum':
    case 'set':
      return t.values?.[0] ?? '';
    case 'json':
      return '{}';
    case 'uuid':
      return `00000000-0000-0000-0000-${String(id).padStart(12, '0')}`;
    case 'inet4':
      return `10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`;
    case 'inet6':
      return `::${id.toString(16)}`;
    default:
      return undefined;
  }
}

/**
 * The columns an INSERT into `table` must name besides its key and the payload
 * (NOT NULL without a DEFAULT, or part of a unique key), each marked when it
 * has to carry the row's id to keep a unique key unique. Undefined when some
 * column or unique key cannot be filled that way.
 */
export function requiredColumns(table: Table, skip: string[]): Array<{ column: Column; distinct: boolean }> | undefined {
  const skipped = new Set(skip.map((s) => s.toLowerCase()));
  const distinct = new Set<string>();
  for (const idx of table.indexes) {
    if (idx.kind !== 'unique') continue;
    const parts = idx.parts.map((p) => table.columns.find((c) => c.name.toLowerCase() === p.column.toLowerCase()));
    if (parts.some((c) => c && skipped.has(c.name.toLowerCase()))) continue;
    const carrier = parts.find((c) => c && carriesId(c));
    if (!carrier) return undefined;
    distinct.add(carrier.name.toLowerCase());
  }
  const out: Array<{ column: Column; distinct: boolean }> = [];
  for (const col of table.columns) {
    const name = col.name.toLowerCase();
    if (skipped.has(name) || col.generated) continue;
    const inUnique = table.indexes.some((i) => i.kind === 'unique' && i.parts.some((p) => p.column.toLowerCase() === name));
    if (!inUnique && (col.nullable || col.default !== undefined || col.autoIncrement)) continue;
    if (valueFor(col, 1, distinct.has(name)) === undefined) return undefined;
    out.push({ column: col, distinct: distinct.has(name) });
  }
  return out;
}
