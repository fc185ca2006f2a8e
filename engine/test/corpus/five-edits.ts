/**
 * Five realistic edits to one table of a real schema, written into a branch's
 * file the way a developer would type them: a nullable column, a NOT NULL
 * column with a default, a wider varchar, a changed default and a new index.
 * The table is chosen so every edit is valid for it and writers can write it.
 */
import type { Column, Table } from '../../src/schema/model.js';
import { carriesId, isInteger, requiredColumns, valueFor } from './row-values.js';
import type { RowShape } from './table-writers.js';

export interface FiveEdits {
  table: string;
  shape: RowShape;
  /** How many columns the table has: the widest table that takes the edits is the one chosen. */
  columns: number;
  /** One line per edit, for the report. */
  edits: string[];
  /** What the deploy's ALTER must name, one per edit (the new default's clause, the widened type, ...). */
  mentions: string[];
  /** The table's file text with the five edits made. */
  apply: (text: string) => string;
}

const lower = (s: string): string => s.toLowerCase();
const indexed = (t: Table, c: Column): boolean => t.indexes.some((i) => i.parts.some((p) => lower(p.column) === lower(c.name)));
const leadsIndex = (t: Table, c: Column): boolean => t.indexes.some((i) => lower(i.parts[0]?.column ?? '') === lower(c.name));
const inForeignKey = (t: Table, c: Column): boolean => t.foreignKeys.some((f) => f.columns.some((x) => lower(x) === lower(c.name)));

/** The most bytes a character takes in `charset` (4 when it is not known). */
function bytesPerChar(charset: string | undefined): number {
  const cs = (charset ?? '').toLowerCase();
  if (['latin1', 'ascii', 'binary'].includes(cs)) return 1;
  return cs === 'utf8' || cs === 'utf8mb3' ? 3 : 4;
}

/** The literal forms a DEFAULT is written in by these projects. */
const DEFAULT_LITERAL = /\bDEFAULT\s+(?:'(?:[^'\\]|''|\\.)*'|"(?:[^"\\]|\\.)*"|[-+]?\d+(?:\.\d+)?|NULL)/i;

/** The column whose default changes, and its new DEFAULT clause; undefined when the table has no such column. */
function defaultEdit(t: Table, avoid: Column[], text: (c: Column) => string): { column: Column; clause: string } | undefined {
  const free = t.columns.filter((c) => !avoid.includes(c) && !c.generated && !c.autoIncrement && !inForeignKey(t, c) && c.source);
  for (const c of free) {
    if (c.default === undefined || c.default === 'NULL' || !DEFAULT_LITERAL.test(text(c))) continue;
    if (c.type.base === 'enum' && c.type.values && c.type.values.length > 1) {
      const other = c.type.values.find((v) => `'${v}'` !== c.default)!;
      return { column: c, clause: `DEFAULT '${other.replace(/'/g, "''")}'` };
    }
    if (isInteger(c)) return { column: c, clause: c.default === '1' || c.default === "'1'" ? 'DEFAULT 0' : 'DEFAULT 1' };
    if (['varchar', 'char'].includes(c.type.base) && (c.type.length ?? 0) >= 2) return { column: c, clause: c.default === "'sb'" ? "DEFAULT 'sc'" : "DEFAULT 'sb'" };
  }
  // No literal default to change: give a NOT NULL column one, as an application does when it starts omitting it.
  for (const c of free) {
    if (c.default !== undefined || c.nullable || !/\bNOT\s+NULL\b/i.test(text(c))) continue;
    if (isInteger(c)) return { column: c, clause: 'DEFAULT 0' };
    if (['varchar', 'char'].includes(c.type.base)) return { column: c, clause: "DEFAULT ''" };
    if (c.type.base === 'enum' && c.type.values?.length) return { column: c, clause: `DEFAULT '${c.type.values[0]!.replace(/'/g, "''")}'` };
  }
  return undefined;
}

/**
 * Which tables a plan may take: for writers, a single integer key or any other key (a string, several
 * columns) without outgoing foreign keys; `any`: whatever table the edits fit, for a deploy with no writers.
 */
export type KeyShape = 'integer' | 'other' | 'any';

/** Plans the five edits on `t` (whose file's text is `fileText`); undefined when some edit cannot be made there. */
export function planFiveEdits(t: Table, fileText: (t: Table) => string, keyShape: KeyShape = 'integer'): FiveEdits | undefined {
  const primary = t.indexes.find((i) => i.kind === 'primary');
  const keys = (primary?.parts ?? []).map((p) => t.columns.find((c) => lower(c.name) === lower(p.column)));
  const key = keys.filter((c): c is Column => c !== undefined);
  const integerKey = key.length === 1 && isInteger(key[0]!) && key[0]!.type.base !== 'tinyint';
  let carrier = 0;
  if (keyShape !== 'any') {
    if (!primary || primary.parts.length > 3 || primary.parts.some((p) => p.length !== undefined || p.expression) || t.foreignKeys.length > 0) return undefined;
    if (key.length !== keys.length || key.some((c) => c.generated)) return undefined;
    if (integerKey !== (keyShape === 'integer')) return undefined;
    // The writers find a row by its key; one part of it carries the row's number, the others take values derived from it.
    carrier = integerKey ? 0 : key.findIndex((c) => carriesId(c) && (isInteger(c) || ['char', 'varchar', 'binary', 'varbinary'].includes(c.type.base)));
    if (carrier < 0 || key.some((c) => valueFor(c, 1, false) === undefined)) return undefined;
  }
  // The server refuses a row over 65,535 bytes (TEXT and BLOB aside): 128 more characters must fit.
  const rowBytes = t.columns.reduce((n, c) => n + (['varchar', 'char', 'varbinary', 'binary'].includes(c.type.base) ? (c.type.length ?? 0) * bytesPerChar(c.charset ?? t.options.charset) + 2 : 8), 0);
  if (rowBytes + 2 * 64 * bytesPerChar(t.options.charset) + 16 > 65_535) return undefined;
  const file = fileText(t);
  const src = (c: Column): string => (c.source ? file.slice(c.source.range.start.offset, c.source.range.end.offset) : '');
  // The text the writers change is the varchar that widens: the copy then converts what they write.
  // Preferably one no key covers; else one in a key, short enough that 64 more characters keep every key in bounds
  // (the writers' values are distinct, so a unique key on it holds).
  const varchars = t.columns.filter((c) => !key.includes(c) && c.type.base === 'varchar' && (c.type.length ?? 0) >= 16 && !inForeignKey(t, c) && !c.generated && /varchar\s*\(\s*\d+\s*\)/i.test(src(c)));
  const text = varchars.find((c) => (c.type.length ?? 0) <= 700 && !indexed(t, c)) ?? varchars.find((c) => (c.type.length ?? 0) + 64 <= 255);
  if (!text) return undefined;
  const number = t.columns.find((c) => !key.includes(c) && isInteger(c) && !c.autoIncrement && !c.generated && !inForeignKey(t, c) && !t.indexes.some((i) => i.kind !== 'index' && i.parts.some((p) => lower(p.column) === lower(c.name))));
  const required = keyShape === 'any' ? [] : requiredColumns(t, [...key.map((c) => c.name), text.name, ...(number ? [number.name] : [])]);
  if (!required) return undefined;
  const def = defaultEdit(t, [...key, text], src);
  if (!def) return undefined;
  const indexOn = [number, ...t.columns.filter((c) => isInteger(c) || ['date', 'datetime', 'timestamp'].includes(c.type.base)), text].find(
    (c): c is Column => c !== undefined && !key.includes(c) && !c.generated && !leadsIndex(t, c),
  );
  if (!indexOn) return undefined;
  const last = t.columns[t.columns.length - 1]!;
  if (!last.source || !text.source || !def.column.source) return undefined;

  const wider = (text.type.length ?? 0) + 64;
  const indexName = `sb_idx_${indexOn.name}`.slice(0, 64);
  const edits = [
    `add column sb_note varchar(64) DEFAULT NULL`,
    `add column sb_flags int NOT NULL DEFAULT 0`,
    `widen ${text.name} varchar(${text.type.length}) to varchar(${wider})`,
    `${def.column.name}: ${def.column.default === undefined ? 'new' : `DEFAULT ${def.column.default} to`} ${def.clause}`,
    `add index ${indexName} (${indexOn.name})`,
  ];
  const apply = (before: string): string => {
    // Edits from the end of the text backwards, so earlier offsets stay valid.
    const cuts = [
      { at: last.source!.range.end.offset, to: last.source!.range.end.offset, text: `,\n  sb_note varchar(64) DEFAULT NULL,\n  sb_flags int NOT NULL DEFAULT 0,\n  KEY \`${indexName.replace(/`/g, '``')}\` (\`${indexOn.name.replace(/`/g, '``')}\`)` },
      { at: text.source!.range.start.offset, to: text.source!.range.end.offset, text: src(text).replace(/varchar\s*\(\s*\d+\s*\)/i, `varchar(${wider})`) },
      {
        at: def.column.source!.range.start.offset,
        to: def.column.source!.range.end.offset,
        text: def.column.default !== undefined ? src(def.column).replace(DEFAULT_LITERAL, def.clause) : src(def.column).replace(/\bNOT\s+NULL\b/i, `NOT NULL ${def.clause}`),
      },
    ].sort((a, b) => b.at - a.at);
    let out = before;
    for (const c of cuts) out = out.slice(0, c.at) + c.text + out.slice(c.to);
    return out;
  };
  const mentions = ['`sb_note`', '`sb_flags`', `varchar(${wider})`, `\`${def.column.name}\``, def.clause, `\`${indexName}\``];
  return { table: t.name, columns: t.columns.length, shape: { table: t.name, key, carrier, text, number, required }, edits, mentions, apply };
}
