/**
 * Hover: a column's full definition, nullability, default, and the indexes and
 * foreign keys that use it; a table's shape, plus its live row count and size
 * when the branch database answered (optional: hover never waits on it long);
 * a view's, trigger's, routine's or event's kind, what it fires on or runs,
 * and the tables its body names.
 */
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { findColumn, type SchemaObjectKind, type Table } from '../../../engine/src/schema/model.js';
import { renderColumnDefinition, renderIndexDefinition } from '../../../engine/src/sql/ddl.js';
import type { BranchModel } from '../workspace/branch-model.js';
import type { Workspace } from '../workspace/workspace.js';
import { isDefinition, occurrencesOf, resolveAt, tableNamed, toRange, type SchemaSymbol } from './resolve.js';

export interface TableStats {
  rows: number;
  dataBytes: number;
  indexBytes: number;
}

/** Live figures for a table, if already known; undefined means "not available", never "zero". */
export type StatsLookup = (branch: string, table: string) => TableStats | undefined;

export function hover(ws: Workspace, params: HoverParams, stats?: StatsLookup): Hover | null {
  const r = resolveAt(ws, params.textDocument.uri, params.position);
  if (!r) return null;
  const range = toRange(r.parsed, r.occurrence.start, r.occurrence.end);
  if (r.symbol.kind === 'object') {
    const value = objectHover(r.model, r.symbol);
    return value ? { range, contents: { kind: MarkupKind.Markdown, value } } : null;
  }
  const table = tableNamed(r.model, r.symbol.kind === 'table' ? r.symbol.name : r.symbol.table, r.parsed);
  if (!table) {
    return { range, contents: { kind: MarkupKind.Markdown, value: `Table \`${r.symbol.kind === 'table' ? r.symbol.name : r.symbol.table}\` is not defined in ${where(r.model)}.` } };
  }
  const value =
    r.symbol.kind === 'table'
      ? tableHover(table, r.model, r.doc.branch !== undefined ? stats?.(r.doc.branch, table.name) : undefined)
      : columnHover(table, r.symbol.name, r.model);
  const users = usedBy(r.model, r.symbol);
  return value ? { range, contents: { kind: MarkupKind.Markdown, value: users ? `${value}\n\n${users}` : value } } : null;
}

function where(model: BranchModel): string {
  return model.branch === undefined ? 'this file' : `branch \`${model.branch}\``;
}

function via(name: string): string {
  return name ? `via \`${name}\`` : 'via an unnamed foreign key';
}

function sql(text: string): string {
  return '```sql\n' + text + '\n```';
}

export function columnHover(table: Table, name: string, model: BranchModel): string | undefined {
  const col = findColumn(table, name);
  if (!col) return `Table \`${table.name}\` has no column \`${name}\`.`;
  const lower = col.name.toLowerCase();
  const lines = [sql(renderColumnDefinition(col)), ''];
  lines.push(`Column of \`${table.name}\` · ${col.nullable ? 'nullable' : 'NOT NULL'} · default: ${col.default === undefined ? (col.nullable ? 'NULL (implicit)' : 'none') : `\`${col.default}\``}`);
  const indexes = table.indexes.filter((i) => i.parts.some((p) => p.column.toLowerCase() === lower));
  if (indexes.length) {
    lines.push('', '**Indexes**');
    for (const i of indexes) lines.push(`- \`${renderIndexDefinition(i)}\``);
  }
  const outgoing = table.foreignKeys.filter((fk) => fk.columns.some((c) => c.toLowerCase() === lower));
  const incoming: string[] = [];
  for (const other of model.known.values()) {
    for (const fk of other.foreignKeys) {
      if (fk.refTable === table.name && fk.refColumns.some((c) => c.toLowerCase() === lower)) incoming.push(`- \`${other.name}\`.(${fk.columns.join(', ')}) ${via(fk.name)}`);
    }
  }
  if (outgoing.length) {
    lines.push('', '**References**');
    for (const fk of outgoing) lines.push(`- \`${fk.refTable}\`(${fk.refColumns.join(', ')}) ${via(fk.name)}${fk.onDelete ? ` ON DELETE ${fk.onDelete}` : ''}`);
  }
  if (incoming.length) lines.push('', '**Referenced by**', ...incoming);
  return lines.join('\n');
}

export function tableHover(table: Table, model: BranchModel, stats?: TableStats): string {
  const pk = table.indexes.find((i) => i.kind === 'primary');
  const lines = [sql(`CREATE TABLE ${table.name}`), ''];
  lines.push(`${table.columns.length} columns · primary key: ${pk ? `(${pk.parts.map((p) => p.column).join(', ')})` : '**none**'} · ${table.indexes.filter((i) => i.kind !== 'primary').length} indexes · ${table.foreignKeys.length} foreign keys`);
  if (table.options.engine || table.options.charset) lines.push('', [table.options.engine, table.options.charset, table.options.collation].filter(Boolean).join(' · '));
  if (table.options.comment) lines.push('', table.options.comment);
  if (stats) lines.push('', `**Live (${model.branch ?? 'database'})**: ~${stats.rows.toLocaleString('en-US')} rows · ${size(stats.dataBytes)} data · ${size(stats.indexBytes)} indexes`);
  return lines.join('\n');
}

const KIND_TITLE: Record<SchemaObjectKind, string> = { view: 'View', trigger: 'Trigger', procedure: 'Stored procedure', function: 'Stored function', event: 'Event' };

export function objectHover(model: BranchModel, symbol: Extract<SchemaSymbol, { kind: 'object' }>): string | undefined {
  const def = occurrencesOf(model, symbol).find((l) => isDefinition(l.occurrence));
  const object = def?.occurrence.object;
  if (!def || !object) return `${KIND_TITLE[symbol.objectKind]} \`${symbol.name}\` is not defined in ${where(model)}.`;
  const head = `CREATE ${object.kind.toUpperCase()} ${object.name}${object.kind === 'procedure' || object.kind === 'function' ? (object.signature ?? '') : ''}`;
  const lines = [sql(head), ''];
  const facts = [KIND_TITLE[object.kind]];
  if (object.trigger) facts.push(`${object.trigger.timing} ${object.trigger.event} on \`${object.trigger.table}\`, for each row`);
  if (object.kind === 'event' && object.signature) facts.push(`ON SCHEDULE ${object.signature}`);
  if (!object.readable) facts.push('its header could not be read');
  lines.push(facts.join(' · '));
  const named = new Set<string>();
  // A trigger's own table is said above (its body cannot write to it anyway).
  for (const o of def.parsed.outline.occurrences) if (o.object === object && o.kind === 'body-table' && o.name !== object.trigger?.table) named.add(o.db === undefined ? o.name : `${o.db}.${o.name}`);
  if (named.size > 0) lines.push('', `Names ${[...named].map((n) => `\`${n}\``).join(', ')}`);
  return lines.join('\n');
}

/** The views, triggers, routines and events whose bodies name a table or column, as `**Used by** view \`v\`, ...`. */
function usedBy(model: BranchModel, symbol: SchemaSymbol): string | undefined {
  const names = new Map<string, string>();
  for (const l of occurrencesOf(model, symbol)) {
    const o = l.occurrence.object;
    if (o && l.occurrence.kind !== 'object-def') names.set(`${o.kind} ${o.name}`, `${o.kind} \`${o.name}\``);
  }
  return names.size > 0 ? `**Used by** ${[...names.values()].join(', ')}` : undefined;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
