/**
 * Why a change is risky. Codes are stable: lint rules, deploy requests and the
 * CLI's --json output key on them. Classes, from mildest to worst:
 * safe < data-dependent < destructive < needs-decision.
 *
 * | code                       | class          | when                                                              |
 * |----------------------------|----------------|-------------------------------------------------------------------|
 * | drop-index                 | safe           | an index is dropped (no data lost; queries may slow down)         |
 * | drop-foreign-key           | safe           | a foreign key is dropped (integrity no longer enforced)           |
 * | drop-check                 | safe           | a CHECK constraint is dropped                                     |
 * | add-unique-index           | data-dependent | a PRIMARY/UNIQUE key appears on an existing table (duplicates fail)|
 * |                            |                | unless it implies an old one or covers a new all-NULL column      |
 * | not-null-without-default   | data-dependent | a NOT NULL column without DEFAULT is added to an existing table   |
 * | null-to-not-null           | data-dependent | an existing nullable column becomes NOT NULL (NULL rows fail)     |
 * | narrowed-type              | data-dependent | a smaller type in the same family (bigint->int, text->tinytext)   |
 * | narrowed-length            | data-dependent | a shorter char/binary/bit length (varchar(100)->varchar(50))      |
 * | narrowed-precision         | data-dependent | fewer decimal digits or fractional-second digits                  |
 * | changed-type               | data-dependent | a different type family (varchar->int, datetime<->timestamp)      |
 * | signedness-changed         | data-dependent | signed<->unsigned where the new range does not hold the old one   |
 * | changed-charset            | data-dependent | a column's character set changes to one that cannot hold every    |
 * |                            |                | old character (utf8mb3->utf8mb4 and latin1->utf8mb4 are safe)     |
 * | changed-collation          | data-dependent | the comparison rule changes (utf8mb4_general_ci -> _bin): unique  |
 * |                            |                | keys may reject rows; a charset prefix alone does not count       |
 * | enum-member-removed        | data-dependent | an ENUM/SET member disappears                                     |
 * | enum-member-reordered      | data-dependent | ENUM/SET members change order (sorting, stored indexes)           |
 * | add-auto-increment         | data-dependent | AUTO_INCREMENT is added to an existing column (0 values renumber) |
 * | add-foreign-key            | data-dependent | a foreign key is added to an existing table (orphans fail), unless|
 * |                            |                | one of its columns is new and NULL in every row                   |
 * | add-check                  | data-dependent | a CHECK is added to an existing table (violating rows fail)       |
 * | changed-engine             | data-dependent | the storage engine changes                                        |
 * | drop-table                 | destructive    | a table and its rows are dropped                                  |
 * | drop-column                | destructive    | a column and its values are dropped                               |
 * | possible-rename            | needs-decision | a column is dropped and another added with the same definition,   |
 * |                            |                | or a table dropped and another created with the same definition   |
 * | drop-object                | destructive    | a view, trigger, procedure, function or event is dropped          |
 * | redefine-trigger           | data-dependent | a changed trigger is dropped and created again: rows written in   |
 * |                            |                | between do not fire it                                            |
 * | redefine-object            | safe           | a changed routine or event is dropped and created again           |
 *
 * Anything not listed (new tables, nullable or defaulted new columns, wider
 * types, new non-unique indexes, defaults, comments, column order, new objects,
 * a view replaced) is safe and carries no reason.
 */
import type { ChangeClass, ChangeReason } from './change.js';
import type { Column, ColumnType, SchemaObject } from '../schema/model.js';
import { quoteIdent } from '../sql/quote.js';

const RANK: Record<ChangeClass, number> = { safe: 0, 'data-dependent': 1, destructive: 2, 'needs-decision': 3 };

export function dropObjectReasons(o: SchemaObject): ChangeReason[] {
  return [{ class: 'destructive', code: 'drop-object', message: `${capitalized(o.kind)} ${quoteIdent(o.name)} is dropped.` }];
}

/** The DROP half of a trigger's, routine's or event's redefinition. */
export function redefineObjectReasons(o: SchemaObject): ChangeReason[] {
  if (o.kind === 'trigger') {
    return [{ class: 'data-dependent', code: 'redefine-trigger', message: `Trigger ${quoteIdent(o.name)} is dropped and created again with its new definition: rows written to ${o.trigger ? quoteIdent(o.trigger.table) : 'its table'} in between do not fire it.` }];
  }
  return [{ class: 'safe', code: 'redefine-object', message: `${capitalized(o.kind)} ${quoteIdent(o.name)} is dropped and created again with its new definition.` }];
}

function capitalized(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

export function worstClass(reasons: ChangeReason[]): ChangeClass {
  let worst: ChangeClass = 'safe';
  for (const r of reasons) if (RANK[r.class] > RANK[worst]) worst = r.class;
  return worst;
}

const INTEGER_BYTES: Record<string, number> = { tinyint: 1, smallint: 2, mediumint: 3, int: 4, integer: 4, bigint: 8 };
const TEXT_RANK: Record<string, number> = { tinytext: 1, text: 2, mediumtext: 3, longtext: 4 };
const BLOB_RANK: Record<string, number> = { tinyblob: 1, blob: 2, mediumblob: 3, longblob: 4 };
const CHAR_TYPES = new Set(['char', 'varchar']);
const BINARY_TYPES = new Set(['binary', 'varbinary']);
const FLOAT_RANK: Record<string, number> = { float: 1, double: 2, real: 2 };
const FSP_TYPES = new Set(['datetime', 'timestamp', 'time']);

/** [min, max] of an integer type as bigints. */
function integerRange(t: ColumnType): [bigint, bigint] {
  const bits = BigInt(INTEGER_BYTES[t.base] * 8);
  return t.unsigned ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
}

type TypeVerdict = { code: string; message: string } | undefined;

/** How a column type change can affect stored values; undefined when every old value fits. */
export function classifyTypeChange(from: ColumnType, to: ColumnType): TypeVerdict {
  const name = (t: ColumnType): string => t.base + (t.length !== undefined ? `(${t.length}${t.scale !== undefined ? ',' + t.scale : ''})` : '') + (t.unsigned ? ' unsigned' : '');
  const change = `${name(from)} -> ${name(to)}`;
  if (from.base in INTEGER_BYTES && to.base in INTEGER_BYTES) {
    const [a0, a1] = integerRange(from);
    const [b0, b1] = integerRange(to);
    if (b0 <= a0 && a1 <= b1) return undefined;
    if (!!from.unsigned !== !!to.unsigned) return { code: 'signedness-changed', message: `${change}: existing values may not fit the new signedness.` };
    return { code: 'narrowed-type', message: `${change}: existing values may not fit.` };
  }
  if (from.base === 'decimal' && to.base === 'decimal') {
    const fs = from.scale ?? 0;
    const ts = to.scale ?? 0;
    const fInt = (from.length ?? 10) - fs;
    const tInt = (to.length ?? 10) - ts;
    if (!!from.unsigned && !to.unsigned && tInt >= fInt && ts >= fs) return undefined;
    if (!from.unsigned && !!to.unsigned) return { code: 'signedness-changed', message: `${change}: negative values no longer fit.` };
    if (tInt < fInt || ts < fs) return { code: 'narrowed-precision', message: `${change}: values may be rounded or rejected.` };
    return undefined;
  }
  if (from.base in FLOAT_RANK && to.base in FLOAT_RANK) {
    if (FLOAT_RANK[to.base] < FLOAT_RANK[from.base]) return { code: 'narrowed-type', message: `${change}: values lose precision.` };
    if (!from.unsigned && !!to.unsigned) return { code: 'signedness-changed', message: `${change}: negative values no longer fit.` };
    return undefined;
  }
  if ((CHAR_TYPES.has(from.base) && CHAR_TYPES.has(to.base)) || (BINARY_TYPES.has(from.base) && BINARY_TYPES.has(to.base)) || (from.base === 'bit' && to.base === 'bit')) {
    if ((to.length ?? 1) < (from.length ?? 1)) return { code: 'narrowed-length', message: `${change}: longer values would be truncated or rejected.` };
    if (from.base === 'varchar' && to.base === 'char') return { code: 'changed-type', message: `${change}: trailing spaces are not kept by CHAR.` };
    if (from.base === 'binary' && to.base === 'varbinary') return { code: 'changed-type', message: `${change}: BINARY pads with zero bytes that VARBINARY keeps.` };
    return undefined;
  }
  if (from.base in TEXT_RANK && to.base in TEXT_RANK) {
    return TEXT_RANK[to.base] < TEXT_RANK[from.base] ? { code: 'narrowed-type', message: `${change}: longer values would be truncated or rejected.` } : undefined;
  }
  if (from.base in BLOB_RANK && to.base in BLOB_RANK) {
    return BLOB_RANK[to.base] < BLOB_RANK[from.base] ? { code: 'narrowed-type', message: `${change}: longer values would be truncated or rejected.` } : undefined;
  }
  if (CHAR_TYPES.has(from.base) && to.base in TEXT_RANK) {
    // TEXT holds 65,535 bytes, as much as any VARCHAR row can.
    return to.base === 'tinytext' ? { code: 'narrowed-type', message: `${change}: TINYTEXT holds only 255 bytes.` } : undefined;
  }
  if (BINARY_TYPES.has(from.base) && to.base in BLOB_RANK) {
    return to.base === 'tinyblob' ? { code: 'narrowed-type', message: `${change}: TINYBLOB holds only 255 bytes.` } : undefined;
  }
  if (from.base in TEXT_RANK && CHAR_TYPES.has(to.base)) return { code: 'narrowed-length', message: `${change}: longer values would be truncated or rejected.` };
  if (from.base === to.base && FSP_TYPES.has(from.base)) {
    return (to.length ?? 0) < (from.length ?? 0) ? { code: 'narrowed-precision', message: `${change}: fractional seconds are rounded.` } : undefined;
  }
  if (from.base === 'date' && to.base === 'datetime') return undefined;
  if ((from.base === 'enum' && to.base === 'enum') || (from.base === 'set' && to.base === 'set')) return classifyMembers(from.values ?? [], to.values ?? [], change);
  if (from.base === to.base) return undefined;
  return { code: 'changed-type', message: `${change}: existing values are converted and may change or be rejected.` };
}

function classifyMembers(from: string[], to: string[], change: string): TypeVerdict {
  const removed = from.filter((v) => !to.includes(v));
  if (removed.length > 0) return { code: 'enum-member-removed', message: `${change}: rows holding ${removed.map((v) => `'${v}'`).join(', ')} would be rejected or emptied.` };
  if (!from.every((v, i) => to[i] === v)) return { code: 'enum-member-reordered', message: 'Members change position: stored values are indexes, so sorting and comparisons change.' };
  return undefined;
}

/** Character sets whose every character the target can store: converting loses nothing. */
function holdsEveryCharacter(from: string, to: string): boolean {
  const unicode = new Set(['utf8mb4', 'utf8mb3', 'utf8', 'utf16', 'utf16le', 'utf32', 'ucs2']);
  if (from === 'ascii') return to !== 'binary';
  if (to === 'utf8mb4' || to === 'utf16' || to === 'utf32' || to === 'utf16le') return unicode.has(from) || from === 'latin1';
  return (from === 'utf8' || from === 'utf8mb3') && (to === 'utf8' || to === 'utf8mb3');
}

/** The comparison rule of a collation without its charset prefix: utf8mb3_general_ci and utf8mb4_general_ci sort alike. */
function collationRule(collation: string, charset: string | undefined): string {
  const prefix = charset ? `${charset}_` : '';
  const rule = prefix && collation.startsWith(prefix) ? collation.slice(prefix.length) : collation.replace(/^[a-z0-9]+_/, '');
  return rule;
}

/** Reasons for MODIFY COLUMN `from` -> `to` on an existing table. */
export function classifyColumnChange(from: Column, to: Column): ChangeReason[] {
  const reasons: ChangeReason[] = [];
  const col = to.name;
  const add = (code: string, message: string): void => {
    reasons.push({ class: 'data-dependent', code, message: `Column ${quoteIdent(col)}: ${message}`, column: col });
  };
  const verdict = classifyTypeChange(from.type, to.type);
  if (verdict) add(verdict.code, verdict.message);
  if (from.nullable && !to.nullable && !to.generated) add('null-to-not-null', 'becomes NOT NULL; rows holding NULL would be rejected or changed.');
  const widened = from.charset !== undefined && to.charset !== undefined && from.charset !== to.charset && holdsEveryCharacter(from.charset, to.charset);
  if (from.charset !== undefined && to.charset !== undefined && from.charset !== to.charset && !widened) {
    add('changed-charset', `character set ${from.charset} -> ${to.charset}; text is converted and characters outside the new set are lost or rejected.`);
  } else if (from.collation !== undefined && to.collation !== undefined && collationRule(from.collation, from.charset) !== collationRule(to.collation, to.charset)) {
    add('changed-collation', `collation ${from.collation} -> ${to.collation}; comparisons change and unique keys may reject existing rows.`);
  }
  if (!from.autoIncrement && to.autoIncrement) add('add-auto-increment', 'becomes AUTO_INCREMENT; rows holding 0 or NULL are renumbered.');
  return reasons;
}

/** Reasons for ADD COLUMN on an existing table. */
export function classifyAddedColumn(col: Column): ChangeReason[] {
  if (col.nullable || col.default !== undefined || col.generated || col.autoIncrement) return [];
  return [
    {
      class: 'data-dependent',
      code: 'not-null-without-default',
      message: `Column ${quoteIdent(col.name)} is NOT NULL without a DEFAULT: existing rows get the type's implicit value (0, '' or a zero date). Add a DEFAULT if that is not what you want.`,
      column: col.name,
    },
  ];
}
