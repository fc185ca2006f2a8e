/**
 * Why renaming a table or column would leave a view, trigger, routine or event
 * behind: a name in a body that may or may not be the one renamed, a header
 * the parser could not read, or a view column that takes its name from the
 * renamed column while another object reads it. A rename is all or nothing,
 * so any of these refuses it, with where and what to change first.
 */
import { basename } from 'node:path';
import type { SchemaObjectKind } from '../../../engine/src/schema/model.js';
import type { ObjectOutline } from '../sql/object-outline.js';
import type { Occurrence } from '../sql/outline.js';
import type { Token } from '../sql/tokens.js';
import type { BranchModel } from '../workspace/branch-model.js';
import type { ParsedDocument } from '../workspace/documents.js';
import { MARIADB_1011 } from '../../../engine/src/lint/reserved-words.js';
import { meaningOf } from './body-meaning.js';
import { toRange, type SchemaSymbol } from './resolve.js';

const KIND_WORD: Record<SchemaObjectKind, string> = { view: 'view', trigger: 'trigger', procedure: 'procedure', function: 'function', event: 'event' };

type TableOrColumn = Exclude<SchemaSymbol, { kind: 'object' }>;

function where(parsed: ParsedDocument, object: ObjectOutline | undefined, at: number): string {
  const line = toRange(parsed, at, at).start.line + 1;
  const what = object ? `${KIND_WORD[object.kind]} \`${object.name}\`` : 'a statement';
  return `${what} (${basename(parsed.doc.path)}, line ${line})`;
}

function label(symbol: TableOrColumn): string {
  return symbol.kind === 'table' ? `table \`${symbol.name}\`` : `\`${symbol.table}\`.\`${symbol.name}\``;
}

/** The reason the rename of `symbol` cannot be done completely, or undefined. */
export function partialRename(model: BranchModel, symbol: TableOrColumn): string | undefined {
  const lower = symbol.name.toLowerCase();
  const matches = (name: string): boolean => (symbol.kind === 'table' ? name === symbol.name : name.toLowerCase() === lower);
  for (const parsed of model.files) {
    const outline = parsed.outline;
    const read = new Set(outline.occurrences.filter((o) => o.object !== undefined).map((o) => o.start));
    for (const st of outline.statements) {
      const object = st.object;
      if (!object) continue;
      const own = tokensIn(outline.tokens, st.start, st.end);
      const named = own.find((t) => (t.kind === 'ident' || t.kind === 'quoted') && matches(t.value) && t.start !== object.nameStart);
      if (named && !object.readable) return `Cannot rename ${label(symbol)}: ${where(parsed, object, named.start)} names \`${named.value}\`, and its header could not be read, so schemabranch cannot tell what it means. Fix the syntax error there first, then rename again.`;
      // Every name in a body is an occurrence or was read as something a rename never touches; anything else was not understood.
      const unread = own.find(
        (t) => t.start >= (object.bodyStart ?? st.end) && matches(t.value) && (t.kind === 'quoted' || (t.kind === 'ident' && !reservedWord(t.value))) && !read.has(t.start) && !object.benign.has(t.start),
      );
      if (unread) return `Cannot rename ${label(symbol)}: ${where(parsed, object, unread.start)} names \`${unread.value}\` where schemabranch cannot tell whether it is ${symbol.kind === 'table' ? 'the table' : 'the column'}. Rename it there by hand (or qualify it), then rename again.`;
    }
    if (symbol.kind === 'column') {
      for (const st of outline.statements) {
        const view = st.object;
        if (!view || !view.stars.some((star) => starCovers(star, symbol.table))) continue;
        const reader = readerOfViewColumn(model, view, lower);
        if (reader) {
          return `Cannot rename ${label(symbol)}: view \`${view.name}\` selects \`*\` from \`${symbol.table}\`, so it has a column \`${symbol.name}\` too, and ${where(reader.parsed, reader.occurrence.object, reader.occurrence.start)} reads that column of the view. List the view's columns instead of \`*\` (keeping \`${symbol.name}\` with AS), then rename again.`;
        }
      }
    }
    for (const o of outline.occurrences) {
      const why = symbol.kind === 'table' ? tableDoubt(o, model, symbol.name) : columnDoubt(o, model, symbol.table, lower);
      if (why) return `Cannot rename ${label(symbol)} safely: ${where(parsed, o.object, o.start)} names \`${o.name}\`, but ${why}. ${advice(symbol)}`;
      if (symbol.kind === 'column' && o.kind === 'body-name' && o.body?.exposes && o.name.toLowerCase() === lower && o.object && isColumnOf(o, model, symbol.table)) {
        const reader = readerOfViewColumn(model, o.object, lower);
        if (reader) {
          return `Cannot rename ${label(symbol)}: view \`${o.object.name}\` takes its column \`${o.name}\` from it, and ${where(reader.parsed, reader.occurrence.object, reader.occurrence.start)} reads that column of the view. Write \`AS ${o.name}\` after it in the view (${basename(parsed.doc.path)}, line ${toRange(parsed, o.start, o.start).start.line + 1}) to keep the view's column name, then rename again.`;
        }
      }
    }
  }
  return undefined;
}

/** The tokens within [start, end) (found by bisection: a file may hold thousands of statements). */
function tokensIn(tokens: Token[], start: number, end: number): Token[] {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < start) lo = mid + 1;
    else hi = mid;
  }
  let k = lo;
  while (k < tokens.length && tokens[k].end <= end) k++;
  return tokens.slice(lo, k);
}

/** A reserved word written bare is SQL, never a name. */
function reservedWord(word: string): boolean {
  return MARIADB_1011.has(word.toLowerCase());
}

function isColumnOf(o: Occurrence, model: BranchModel, table: string): boolean {
  const m = meaningOf(o, model);
  return m.kind === 'column' && m.table === table;
}

function advice(symbol: TableOrColumn): string {
  return symbol.kind === 'table'
    ? 'Remove the database name there (a branch decides the database), or rename it there by hand, then rename again.'
    : 'Qualify it there with its table or alias (for example `o`.`' + symbol.name + '`), then rename again.';
}

function tableDoubt(o: Occurrence, model: BranchModel, table: string): string | undefined {
  if (o.kind === 'body-table' && o.name === table && o.db !== undefined) return `it is qualified with database \`${o.db}\`, which may not be this branch's`;
  // DELETE t FROM t JOIN u, a LOCK TABLES list: the table's name where schemabranch reads no table.
  if (o.kind === 'body-name' && o.name === table && o.body?.qualifier === undefined && meaningOf(o, model).kind !== 'column') return 'schemabranch does not read a table name in that place';
  return undefined;
}

function columnDoubt(o: Occurrence, model: BranchModel, table: string, lower: string): string | undefined {
  if (o.kind !== 'body-name' || o.name.toLowerCase() !== lower) return undefined;
  const m = meaningOf(o, model);
  if (m.kind === 'column' && m.table === table) return m.why;
  if (m.kind === 'unknown' && (m.candidates === undefined || m.candidates.includes(table))) return m.why;
  return undefined;
}

/** Whether a view's `*` or `q.*` selects the columns of `table`. */
function starCovers(star: ObjectOutline['stars'][number], table: string): boolean {
  const q = star.qualifier;
  if (q === undefined) return star.scope.sources.some((s) => !s.derived && s.table === table);
  const src = star.scope.sources.find((s) => s.alias === q) ?? star.scope.sources.find((s) => s.alias === undefined && s.table === q);
  return src ? !src.derived && src.table === table : q === table;
}

/** Another object that reads `view` and names a column `lower` (conservative: any such name in a statement reading the view). */
function readerOfViewColumn(model: BranchModel, view: ObjectOutline, lower: string): { parsed: ParsedDocument; occurrence: Occurrence } | undefined {
  for (const parsed of model.files) {
    for (const o of parsed.outline.occurrences) {
      if (o.kind !== 'body-name' || o.object === view || o.name.toLowerCase() !== lower || !o.body) continue;
      const q = o.body.qualifier;
      const reads = o.body.scope.sources.some((s) => s.table === view.name && !s.derived && (q === undefined || s.alias === q || (s.alias === undefined && q === view.name)));
      if (reads) return { parsed, occurrence: o };
    }
  }
  return undefined;
}
