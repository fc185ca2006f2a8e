/**
 * Whether a key identifies rows well enough for the online migration: the
 * copy walks the table in chunks of it and the drain matches rows across the
 * old and new table by it. Lint (on the schema model) and the migration (on
 * what the server reports) both ask this one question, so a table lint calls
 * deployable is a table the migration can move.
 */
import { findColumn, type Index, type Table } from './model.js';

export interface RowKeyPart {
  column: string;
  /** Prefix length, e.g. 100 for `id`(100). A prefix does not identify a row. */
  prefix?: number;
  /** A functional key part has no column to copy by. */
  expression?: boolean;
  nullable: boolean;
}

export interface RowKeyCandidate {
  name: string;
  primary: boolean;
  unique: boolean;
  parts: RowKeyPart[];
}

/** Why `k` cannot identify rows, or undefined when it can. */
export function whyNotRowKey(k: RowKeyCandidate): string | undefined {
  if (!k.primary && !k.unique) return `key \`${k.name}\` is not unique`;
  if (!k.parts.length) return `key \`${k.name}\` has no columns`;
  const prefix = k.parts.find((p) => p.prefix !== undefined);
  if (prefix) return `${k.primary ? 'the primary key' : `unique key \`${k.name}\``} indexes only a prefix of \`${prefix.column}\` (\`${prefix.column}\`(${prefix.prefix})), so two rows can share a key value`;
  if (k.parts.some((p) => p.expression)) return `${k.primary ? 'the primary key' : `unique key \`${k.name}\``} has an expression part`;
  // PRIMARY KEY columns are NOT NULL whatever the declaration says.
  const nullable = k.primary ? undefined : k.parts.find((p) => p.nullable);
  if (nullable) return `unique key \`${k.name}\` allows NULL in \`${nullable.column}\`, and NULLs are never equal`;
  return undefined;
}

export function identifiesRows(k: RowKeyCandidate): boolean {
  return whyNotRowKey(k) === undefined;
}

/** A model index as a candidate (nullability from the table's columns). */
export function candidateOf(table: Table, i: Index): RowKeyCandidate {
  return {
    name: i.name,
    primary: i.kind === 'primary',
    unique: i.kind === 'primary' || i.kind === 'unique',
    parts: i.parts.map((p) => ({ column: p.column, prefix: p.length, expression: p.expression !== undefined, nullable: findColumn(table, p.column)?.nullable !== false })),
  };
}

/** The table's keys that identify rows, PRIMARY first. */
export function rowKeys(table: Table): Index[] {
  const ordered = [...table.indexes.filter((i) => i.kind === 'primary'), ...table.indexes.filter((i) => i.kind === 'unique')];
  return ordered.filter((i) => identifiesRows(candidateOf(table, i)));
}
