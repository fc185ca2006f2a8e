/** Document symbols (tables with their columns and keys; views, triggers, routines, events) and workspace symbols across branches. */
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams, type WorkspaceSymbol, type WorkspaceSymbolParams } from 'vscode-languageserver';
import type { SchemaObjectKind } from '../../../engine/src/schema/model.js';
import { renderColumnType } from '../../../engine/src/sql/ddl.js';
import type { ObjectOutline } from '../sql/object-outline.js';
import type { Workspace } from '../workspace/workspace.js';
import { toRange } from './resolve.js';

export function documentSymbols(ws: Workspace, params: DocumentSymbolParams): DocumentSymbol[] {
  const doc = ws.documentByUri(params.textDocument.uri);
  if (!doc || doc.skipped) return [];
  const parsed = ws.parsed(doc);
  const out: DocumentSymbol[] = [];
  // From the outline, so symbols survive a syntax error; details come from the parse when there is one.
  for (const st of parsed.outline.statements) {
    const object = st.object;
    if (object) {
      if (object.nameStart === undefined || object.nameEnd === undefined) continue;
      out.push({ name: object.name, detail: objectDetail(object), kind: OBJECT_SYMBOL[object.kind], range: toRange(parsed, st.start, st.end), selectionRange: toRange(parsed, object.nameStart, object.nameEnd) });
      continue;
    }
    if (!st.table || st.nameStart === undefined || st.nameEnd === undefined) continue;
    const table = parsed.tables.find((t) => t.name === st.table);
    const children: DocumentSymbol[] = [];
    for (const el of st.elements) {
      const range = toRange(parsed, el.start, el.end);
      if (el.kind === 'column' && el.name) {
        const col = table?.columns.find((c) => c.name === el.name);
        const nameOcc = parsed.outline.occurrences.find((o) => o.kind === 'column-def' && o.start === el.start);
        children.push({
          name: el.name,
          detail: col ? renderColumnType(col.type) : undefined,
          kind: SymbolKind.Field,
          range,
          selectionRange: nameOcc ? toRange(parsed, nameOcc.start, nameOcc.end) : range,
        });
      } else if (el.kind === 'key' || el.kind === 'foreign-key') {
        const text = parsed.text.slice(el.start, el.end).replace(/\s+/g, ' ');
        children.push({ name: text.length > 60 ? text.slice(0, 57) + '...' : text, kind: el.kind === 'key' ? SymbolKind.Key : SymbolKind.Interface, range, selectionRange: range });
      }
    }
    out.push({
      name: st.table,
      detail: table ? `${table.columns.length} columns` : undefined,
      kind: SymbolKind.Class,
      range: toRange(parsed, st.start, st.end),
      selectionRange: toRange(parsed, st.nameStart, st.nameEnd),
      children,
    });
  }
  return out;
}

const OBJECT_SYMBOL: Record<SchemaObjectKind, SymbolKind> = {
  view: SymbolKind.Interface,
  trigger: SymbolKind.Event,
  procedure: SymbolKind.Method,
  function: SymbolKind.Function,
  event: SymbolKind.Event,
};

/** What the outline shows beside the name: `view`, `trigger BEFORE INSERT ON customer`, `function (a INT) RETURNS INT`. */
function objectDetail(o: ObjectOutline): string {
  if (o.trigger) return `trigger ${o.trigger.timing} ${o.trigger.event} ON ${o.trigger.table}`;
  const signature = o.signature?.replace(/\s+/g, ' ');
  const detail = signature ? `${o.kind} ${o.kind === 'event' ? `ON SCHEDULE ${signature}` : signature}` : o.kind;
  return detail.length > 80 ? detail.slice(0, 77) + '...' : detail;
}

const MAX_WORKSPACE_SYMBOLS = 500;

export function workspaceSymbols(ws: Workspace, params: WorkspaceSymbolParams): WorkspaceSymbol[] {
  const query = params.query.toLowerCase();
  const out: WorkspaceSymbol[] = [];
  for (const doc of ws.docs.values()) {
    if (doc.skipped) continue;
    const parsed = ws.parsed(doc);
    const container = doc.branch ?? 'untracked';
    for (const o of parsed.outline.occurrences) {
      if (o.kind !== 'table-def' && o.kind !== 'column-def' && o.kind !== 'object-def') continue;
      const label = o.kind === 'column-def' ? `${o.table}.${o.name}` : o.name;
      if (query && !fuzzy(label.toLowerCase(), query)) continue;
      out.push({
        name: label,
        kind: o.kind === 'table-def' ? SymbolKind.Class : o.kind === 'object-def' && o.object ? OBJECT_SYMBOL[o.object.kind] : SymbolKind.Field,
        containerName: container,
        location: { uri: doc.uri, range: toRange(parsed, o.start, o.end) },
      });
      if (out.length >= MAX_WORKSPACE_SYMBOLS) return out;
    }
  }
  return out;
}

/** The query's characters appear in order (VS Code's own matching, roughly). */
function fuzzy(label: string, query: string): boolean {
  let i = 0;
  for (const c of label) if (c === query[i]) i++;
  return i === query.length;
}
