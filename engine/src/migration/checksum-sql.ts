/**
 * The statements of the checksum that proves a copy before cut-over, built by
 * pure functions (tested as exact strings). A row's hash covers every copied
 * column, each read as the ALTER converts it, so an unchanged row hashes the
 * same in the original and in the shadow.
 */
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { keyCompare, keyIn } from './sql.js';

/** A column as information_schema describes it on one side. */
export interface ColumnShape {
  columnType: string;
  collation: string | null;
}

/**
 * The CAST that reads a value as a column of type `to` holds it, or
 * undefined when the type has no exact CAST (then the value is compared as
 * the server prints it). COLUMN_TYPE comes from information_schema.
 */
export function castTarget(to: ColumnShape): string | undefined {
  const t = to.columnType.toLowerCase();
  let m: RegExpMatchArray | null;
  if (/^(tinyint|smallint|mediumint|int|integer|bigint)\b/.test(t)) return /unsigned/.test(t) ? 'UNSIGNED' : 'SIGNED';
  if (/^(bit|year)\b/.test(t)) return 'UNSIGNED';
  if ((m = /^decimal\((\d+),(\d+)\)/.exec(t))) return `DECIMAL(${m[1]},${m[2]})`;
  if (/^float\b/.test(t)) return 'FLOAT';
  if (/^(double|real)\b/.test(t)) return 'DOUBLE';
  if (t === 'date') return 'DATE';
  if ((m = /^(datetime|timestamp)(?:\((\d)\))?/.exec(t))) return `DATETIME(${m[2] ?? 0})`;
  if ((m = /^time(?:\((\d)\))?$/.exec(t))) return `TIME(${m[1] ?? 0})`;
  if ((m = /^binary\((\d+)\)/.exec(t))) return `BINARY(${m[1]})`;
  if (/^(varbinary|tinyblob|blob|mediumblob|longblob)\b/.test(t)) return 'BINARY';
  if (/^(char|varchar|tinytext|text|mediumtext|longtext|enum|set|json)\b/.test(t)) return 'CHAR CHARACTER SET utf8mb4';
  return undefined;
}

/**
 * How one copied column is read on each side. Unchanged: as stored. Changed:
 * both sides cast to the new type, so a faithful copy hashes alike; CHAR
 * drops trailing spaces when it stores a value, so the old side does too.
 */
export function columnReading(name: string, from: ColumnShape, to: ColumnShape): { old: string; new: string } {
  const id = quoteIdent(name);
  if (from.columnType === to.columnType && from.collation === to.collation) return { old: id, new: id };
  const target = castTarget(to);
  if (!target) return { old: id, new: id };
  const cast = `CAST(${id} AS ${target})`;
  return { old: /^char\b/i.test(to.columnType) ? `RTRIM(${cast})` : cast, new: cast };
}

/** One row's hash: a CRC32 per column (no charset mixing between columns), NULL marked apart from any value. */
export function rowHash(readings: string[]): string {
  return `CRC32(CONCAT_WS('#', ${readings.map((r) => `COALESCE(CRC32(${r}), 'N')`).join(', ')}))`;
}

/** `(from, to]`, either end open when absent, less `excluded` keys. Params: [...from (laid out), ...to (laid out), ...excluded keys]. */
function range(key: string[], hasFrom: boolean, hasTo: boolean, excluded = 0, first: string[] = []): string {
  const conds = [...first, ...(hasFrom ? [keyCompare(key, '>').sql] : []), ...(hasTo ? [keyCompare(key, '<=').sql] : []), ...(excluded ? [`NOT ${keyIn(key, excluded)}`] : [])];
  return conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
}

/** The key `rows` rows after `from` in `table` (the inclusive end of a chunk). Params: [...from (laid out), rows - 1]. */
export function checksumChunkEnd(db: string, table: string, key: string[], hasFrom: boolean): string {
  const cols = key.map(quoteIdent).join(', ');
  return `SELECT ${cols} FROM ${quoteQualified(db, table)}${range(key, hasFrom, false)} ORDER BY ${cols} LIMIT 1 OFFSET ?`;
}

/** Row count and XOR of row hashes over a key range, less the `excluded` keys in flight. Params as `range`. */
export function chunkChecksum(db: string, table: string, key: string[], readings: string[], hasFrom: boolean, hasTo: boolean, excluded = 0): string {
  return `SELECT COUNT(*) AS \`n\`, COALESCE(BIT_XOR(${rowHash(readings)}), 0) AS \`h\` FROM ${quoteQualified(db, table)}${range(key, hasFrom, hasTo, excluded)}`;
}

/** Keys of a range with changes waiting in the changelog on a side. Params: [side, ...range]. */
export function pendingInRange(metaDb: string, changelog: string, key: string[], hasFrom: boolean, hasTo: boolean): string {
  return `SELECT DISTINCT ${key.map(quoteIdent).join(', ')} FROM ${quoteQualified(metaDb, changelog)}${range(key, hasFrom, hasTo, 0, ['`side` = ?'])}`;
}

/** Each row's key and hash over a key range, to name the rows of a chunk that differs. Params as `range`. */
export function chunkRowHashes(db: string, table: string, key: string[], readings: string[], hasFrom: boolean, hasTo: boolean): string {
  const cols = key.map(quoteIdent).join(', ');
  return `SELECT ${cols}, ${rowHash(readings)} AS \`h\` FROM ${quoteQualified(db, table)}${range(key, hasFrom, hasTo)}`;
}

/** Each listed row's key and hash. Params: the keys, flattened. */
export function rowHashesOf(db: string, table: string, key: string[], readings: string[], count: number): string {
  return `SELECT ${key.map(quoteIdent).join(', ')}, ${rowHash(readings)} AS \`h\` FROM ${quoteQualified(db, table)} WHERE ${keyIn(key, count)}`;
}
