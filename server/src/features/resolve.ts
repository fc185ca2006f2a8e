/**
 * What a position in a schema file names (a table or one of its columns), and
 * every place in the branch where that same thing is written. Shared by hover,
 * definition, references and rename, so they always agree.
 */
import type { Position, Range } from 'vscode-languageserver';
import { findColumn, type SchemaObjectKind, type Table } from '../../../engine/src/schema/model.js';
import { meaningOf, objectsOf, sameObjectName } from './body-meaning.js';
import { occurrenceAt, type Occurrence } from '../sql/outline.js';
import type { BranchModel } from '../workspace/branch-model.js';
import type { ParsedDocument, SchemaDocument } from '../workspace/documents.js';
import type { Workspace } from '../workspace/workspace.js';

export type SchemaSymbol =
  | { kind: 'table'; name: string }
  | { kind: 'column'; table: string; name: string }
  /** A view, trigger, procedure, function or event. */
  | { kind: 'object'; objectKind: SchemaObjectKind; name: string };

export interface At {
  doc: SchemaDocument;
  parsed: ParsedDocument;
  model: BranchModel;
  offset: number;
}

export interface ResolvedAt extends At {
  occurrence: Occurrence;
  symbol: SchemaSymbol;
}

export function offsetAt(text: string, pos: Position): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  return Math.min(offset + pos.character, lineEnd < 0 ? text.length : lineEnd);
}

export function toRange(parsed: ParsedDocument, start: number, end: number): Range {
  const r = parsed.lines.range(start, end);
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

export function at(ws: Workspace, uri: string, pos: Position): At | undefined {
  const doc = ws.documentByUri(uri);
  if (!doc || doc.skipped) return undefined;
  const parsed = ws.parsed(doc);
  return { doc, parsed, model: ws.modelFor(doc), offset: offsetAt(parsed.text, pos) };
}

/** The table a name means in this branch: the current parse, the last good one, or this file's own. */
export function tableNamed(model: BranchModel, name: string, parsed?: ParsedDocument): Table | undefined {
  return model.known.get(name) ?? parsed?.tables.find((t) => t.name === name);
}

export function resolveAt(ws: Workspace, uri: string, pos: Position): ResolvedAt | undefined {
  const base = at(ws, uri, pos);
  if (!base) return undefined;
  const occurrence = occurrenceAt(base.parsed.outline, base.offset);
  if (!occurrence) return undefined;
  const symbol = symbolOf(occurrence, base.model, base.parsed);
  return symbol ? { ...base, occurrence, symbol } : undefined;
}

function symbolOf(o: Occurrence, model: BranchModel, parsed: ParsedDocument): SchemaSymbol | undefined {
  if (o.kind === 'table-def' || o.kind === 'table-ref') return { kind: 'table', name: o.name };
  if (o.kind === 'object-def' && o.object) return { kind: 'object', objectKind: o.object.kind, name: o.name };
  if (o.kind === 'body-table') {
    // Tables and views share one namespace: a name no table has may be a view.
    if (!tableNamed(model, o.name, parsed) && objectsOf(model).some((v) => v.kind === 'view' && v.name === o.name)) return { kind: 'object', objectKind: 'view', name: o.name };
    return { kind: 'table', name: o.name };
  }
  if (o.kind === 'body-name') {
    const meaning = meaningOf(o, model);
    return meaning.kind === 'column' ? { kind: 'column', table: meaning.table, name: o.name } : undefined;
  }
  if (o.kind === 'expr-ref') {
    // An expression name is a column only if the table has one; otherwise it is a function or keyword.
    const table = tableNamed(model, o.table, parsed);
    const col = table && findColumn(table, o.name);
    const defined = parsed.outline.occurrences.some((d) => d.kind === 'column-def' && d.table === o.table && d.name.toLowerCase() === o.name.toLowerCase());
    if (!col && !defined) return undefined;
  }
  return { kind: 'column', table: o.table, name: o.name };
}

export interface Located {
  parsed: ParsedDocument;
  occurrence: Occurrence;
}

/** Every occurrence of the symbol in the branch's files, definitions first. */
export function occurrencesOf(model: BranchModel, symbol: SchemaSymbol): Located[] {
  const out: Located[] = [];
  const lower = symbol.name.toLowerCase();
  for (const parsed of model.files) {
    for (const o of parsed.outline.occurrences) {
      if (symbol.kind === 'object') {
        const named = o.kind === 'object-def' ? o.object?.kind === symbol.objectKind : o.kind === 'body-table' && symbol.objectKind === 'view';
        if (named && sameObjectName(symbol.objectKind, o.name, symbol.name)) out.push({ parsed, occurrence: o });
      } else if (symbol.kind === 'table') {
        if ((o.kind === 'table-def' || o.kind === 'table-ref' || o.kind === 'body-table') && o.name === symbol.name) out.push({ parsed, occurrence: o });
      } else if (o.kind === 'body-name') {
        if (o.name.toLowerCase() !== lower) continue;
        const meaning = meaningOf(o, model);
        if (meaning.kind === 'column' && meaning.table === symbol.table) out.push({ parsed, occurrence: o });
      } else if ((o.kind === 'column-def' || o.kind === 'column-ref' || o.kind === 'expr-ref') && o.table === symbol.table && o.name.toLowerCase() === lower) {
        out.push({ parsed, occurrence: o });
      }
    }
  }
  const isDef = (l: Located): number => (isDefinition(l.occurrence) ? 0 : 1);
  return out.sort((a, b) => isDef(a) - isDef(b));
}

export function isDefinition(o: Occurrence): boolean {
  return o.kind === 'table-def' || o.kind === 'column-def' || o.kind === 'object-def';
}
