/**
 * Where a violation points and how a fix edits the file. Rules only know the
 * model's SourceRefs; when the file text is available (SourceTexts) they can
 * narrow a range to one token, otherwise they fall back to the element.
 */
import type { Position, SourceRange, SourceRef, Table } from '../schema/model.js';
import type { SourceTexts } from './rule.js';

/** The table name token, else the whole statement. */
export function tableRef(table: Table): SourceRef | undefined {
  return table.nameSource ?? table.source;
}

/** The element's own place, else the table's. */
export function refOf(table: Table, element?: { source?: SourceRef }): SourceRef | undefined {
  return element?.source ?? tableRef(table);
}

/** The file's text, only if it still matches the ref's offsets. */
export function fileText(sources: SourceTexts | undefined, ref: SourceRef | undefined): string | undefined {
  if (!sources || !ref) return undefined;
  const text = sources[ref.file];
  if (text === undefined || ref.range.end.offset > text.length || ref.range.start.offset > ref.range.end.offset) return undefined;
  return text;
}

export function textOf(sources: SourceTexts | undefined, ref: SourceRef | undefined): string | undefined {
  const text = fileText(sources, ref);
  return text === undefined || !ref ? undefined : text.slice(ref.range.start.offset, ref.range.end.offset);
}

/** Line starts of recently seen file texts: fixes are computed on every keystroke, for every finding. */
const lineStartsCache = new Map<string, number[]>();

function lineStarts(text: string): number[] {
  let starts = lineStartsCache.get(text);
  if (starts) return starts;
  starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  if (lineStartsCache.size >= 32) lineStartsCache.clear();
  lineStartsCache.set(text, starts);
  return starts;
}

/** LSP position (UTF-16 units, like JS strings) of an offset in `text`. */
export function positionAt(text: string, offset: number): Position {
  const starts = lineStarts(text);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo], offset };
}

export function rangeAt(text: string, start: number, end: number): SourceRange {
  return { start: positionAt(text, start), end: positionAt(text, end) };
}

export function emptyRangeAt(position: Position): SourceRange {
  return { start: { ...position }, end: { ...position } };
}

/** Every element of the CREATE TABLE body that has a place, in file order. */
function bodyElements(table: Table): SourceRef[] {
  const refs: SourceRef[] = [];
  for (const list of [table.columns, table.indexes, table.foreignKeys, table.checks] as Array<Array<{ source?: SourceRef }>>) {
    for (const el of list) if (el.source) refs.push(el.source);
  }
  return refs.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

/** True when `inner` lies inside `outer` without being the same range. */
function strictlyInside(inner: SourceRef, outer: SourceRef): boolean {
  const i = inner.range;
  const o = outer.range;
  const same = i.start.offset === o.start.offset && i.end.offset === o.end.offset;
  return !same && i.start.offset >= o.start.offset && i.end.offset <= o.end.offset;
}

/**
 * The range that removes one body element (an index, a foreign key) together
 * with the comma that separates it, or undefined when that cannot be done
 * safely (the element is written inside a column definition, or has no place).
 */
export function removalRange(table: Table, element: SourceRef | undefined, sources?: SourceTexts): SourceRange | undefined {
  if (!element) return undefined;
  const columnRefs = table.columns.map((c) => c.source).filter((s): s is SourceRef => s !== undefined);
  // `a int UNIQUE` puts the index inside the column: removing it is not a whole-element edit.
  if (columnRefs.some((c) => strictlyInside(element, c) || (c.range.start.offset === element.range.start.offset && c.range.end.offset === element.range.end.offset))) return undefined;
  const elements = bodyElements(table).filter((r) => r.file === element.file && !strictlyInside(r, element));
  const at = elements.findIndex((r) => r.range.start.offset === element.range.start.offset && r.range.end.offset === element.range.end.offset);
  if (at < 0) return undefined;
  const prev = elements[at - 1];
  const next = elements[at + 1];
  const text = fileText(sources, element);
  if (text !== undefined && next) {
    // Written on its own line(s): remove those lines whole, keep the neighbours' commas and comments.
    const lineStart = text.lastIndexOf('\n', element.range.start.offset - 1) + 1;
    const before = text.slice(lineStart, element.range.start.offset);
    const lineEnd = text.indexOf('\n', element.range.end.offset);
    const after = text.slice(element.range.end.offset, lineEnd < 0 ? text.length : lineEnd);
    if (/^\s*$/.test(before) && /^\s*,\s*$/.test(after) && lineEnd >= 0) return rangeAt(text, lineStart, lineEnd + 1);
  }
  // From the end of the previous element: takes the comma before this one with it.
  if (prev) return { start: { ...prev.range.end }, end: { ...element.range.end } };
  if (next) return { start: { ...element.range.start }, end: { ...next.range.start } };
  return undefined;
}
