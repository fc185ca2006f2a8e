/**
 * Hand-built tables for the lint tests, until (and besides) the schema parser:
 * `located()` gives a hand-built table the SourceRefs a parser would, by
 * finding each element's text in the SQL, so fix edits can be checked by
 * applying them to that SQL.
 */
import type { Column, ColumnType, ForeignKey, Index, IndexKind, IndexPart, Schema, SourceRef, Table } from '../../src/schema/model.js';
import type { LintFix } from '../../src/lint/violation.js';

export function col(name: string, type: string | ColumnType, extra: Partial<Column> = {}): Column {
  return { name, type: typeof type === 'string' ? { base: type } : type, nullable: true, autoIncrement: false, ...extra };
}

export function idx(name: string, kind: IndexKind, parts: Array<string | IndexPart>, extra: Partial<Index> = {}): Index {
  return { name, kind, parts: parts.map((p) => (typeof p === 'string' ? { column: p } : p)), ...extra };
}

export function fk(name: string, columns: string[], refTable: string, refColumns: string[]): ForeignKey {
  return { name, columns, refTable, refColumns };
}

export function table(name: string, columns: Column[], rest: Partial<Omit<Table, 'name' | 'columns'>> = {}): Table {
  return { name, columns, indexes: [], foreignKeys: [], checks: [], options: {}, nolint: [], ...rest };
}

export function schema(...tables: Table[]): Schema {
  return { tables };
}

function positionAt(text: string, offset: number): { line: number; character: number; offset: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1), offset };
}

/** The SourceRef of `snippet` (its `occurrence`-th appearance) in `text`. */
export function refIn(file: string, text: string, snippet: string, occurrence = 0): SourceRef {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(snippet, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(snippet)} (occurrence ${occurrence}) is not in the test SQL`);
  }
  return { file, range: { start: positionAt(text, at), end: positionAt(text, at + snippet.length) } };
}

/** The element on the line that starts with `head`, without the trailing comma. */
function lineRef(file: string, text: string, head: RegExp): SourceRef | undefined {
  const lines = text.split('\n');
  let offset = 0;
  for (const line of lines) {
    const m = head.exec(line);
    if (m) {
      const indent = line.length - line.trimStart().length;
      const start = offset + indent;
      const body = line.slice(indent).replace(/,\s*(--.*)?$/, '').replace(/\s*(--.*)?$/, '');
      return { file, range: { start: positionAt(text, start), end: positionAt(text, start + body.length) } };
    }
    offset += line.length + 1;
  }
  return undefined;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Give `t` the places a parser would, for SQL written one element per line. */
export function located(t: Table, file: string, text: string): Table {
  const nameAt = new RegExp(`CREATE TABLE\\s+(\`?${esc(t.name)}\`?)`, 'i').exec(text);
  const stmtEnd = text.lastIndexOf(';') >= 0 ? text.lastIndexOf(';') : text.length;
  const stmtStart = text.search(/CREATE TABLE/i);
  return {
    ...t,
    source: { file, range: { start: positionAt(text, stmtStart), end: positionAt(text, stmtEnd) } },
    nameSource: nameAt ? refIn(file, text, nameAt[1]) : undefined,
    columns: t.columns.map((c) => ({ ...c, source: lineRef(file, text, new RegExp(`^\\s*(\`?${esc(c.name)}\`?)\\s`)) })),
    indexes: t.indexes.map((i) => ({
      ...i,
      source:
        i.kind === 'primary'
          ? lineRef(file, text, /^\s*(PRIMARY KEY)/i)
          : lineRef(file, text, new RegExp(`^\\s*((UNIQUE|FULLTEXT|SPATIAL)\\s+)?(KEY|INDEX)\\s+\`?${esc(i.name)}\`?\\s*\\(`, 'i')),
    })),
    foreignKeys: t.foreignKeys.map((f) => ({ ...f, source: lineRef(file, text, new RegExp(`^\\s*CONSTRAINT\\s+\`?${esc(f.name)}\`?\\s`, 'i')) })),
  };
}

/** Apply a fix's edits to `text` (last edit first, so offsets stay valid). */
export function applyFix(text: string, fix: LintFix | undefined): string {
  if (!fix) throw new Error('expected a fix');
  const edits = [...fix.edits].sort((a, b) => b.range.start.offset - a.range.start.offset);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range.start.offset) + e.newText + out.slice(e.range.end.offset);
  return out;
}
