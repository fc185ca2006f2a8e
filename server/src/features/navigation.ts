/** Go to definition, find references and rename for tables and columns, across a branch's files and the bodies of its views, triggers, routines and events. */
import {
  ResponseError,
  ErrorCodes,
  type DefinitionParams,
  type Location,
  type PrepareRenameParams,
  type Range,
  type ReferenceParams,
  type RenameParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Workspace } from '../workspace/workspace.js';
import type { BranchModel } from '../workspace/branch-model.js';
import { objectsOf } from './body-meaning.js';
import { partialRename } from './rename-check.js';
import { isDefinition, occurrencesOf, resolveAt, toRange, type Located, type SchemaSymbol } from './resolve.js';

function location(l: Located): Location {
  return { uri: l.parsed.doc.uri, range: toRange(l.parsed, l.occurrence.start, l.occurrence.end) };
}

export function definition(ws: Workspace, params: DefinitionParams): Location[] | null {
  const r = resolveAt(ws, params.textDocument.uri, params.position);
  if (!r) return null;
  const defs = occurrencesOf(r.model, r.symbol).filter((l) => isDefinition(l.occurrence));
  return defs.length ? defs.map(location) : null;
}

export function references(ws: Workspace, params: ReferenceParams): Location[] | null {
  const r = resolveAt(ws, params.textDocument.uri, params.position);
  if (!r) return null;
  return occurrencesOf(r.model, r.symbol)
    .filter((l) => params.context.includeDeclaration || !isDefinition(l.occurrence))
    .map(location);
}

export function prepareRename(ws: Workspace, params: PrepareRenameParams): { range: Range; placeholder: string } | null {
  const r = resolveAt(ws, params.textDocument.uri, params.position);
  if (!r) return null;
  refuseObject(r.symbol);
  return { range: toRange(r.parsed, r.occurrence.start, r.occurrence.end), placeholder: r.occurrence.name };
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** The new name as it should be written where the old one was written as `oldText`. */
export function writeName(newName: string, oldText: string): string {
  const quoted = oldText.startsWith('`') || !PLAIN_NAME.test(newName);
  return quoted ? '`' + newName.replace(/`/g, '``') + '`' : newName;
}

/** Views, triggers, routines and events are renamed by hand: their names are not followed through bodies and calls. */
function refuseObject(symbol: SchemaSymbol): asserts symbol is Exclude<SchemaSymbol, { kind: 'object' }> {
  if (symbol.kind === 'object') {
    throw new ResponseError(ErrorCodes.InvalidParams, `schemabranch renames tables and columns, not a ${symbol.objectKind}: rename \`${symbol.name}\` in its CREATE statement and where it is used.`);
  }
}

/** Renaming onto an existing name would merge two things; say so instead. */
function renameClash(model: BranchModel, symbol: Exclude<SchemaSymbol, { kind: 'object' }>, newName: string): string | undefined {
  if (symbol.kind === 'table') {
    const where = model.branch === undefined ? 'This file' : `Branch ${model.branch}`;
    if (newName !== symbol.name && model.definitions.has(newName)) return `${where} already has a table \`${newName}\`; pick another name.`;
    if (newName !== symbol.name && objectsOf(model).some((o) => o.kind === 'view' && o.name === newName)) return `${where} already has a view \`${newName}\`; pick another name.`;
    return undefined;
  }
  const lower = newName.toLowerCase();
  if (lower === symbol.name.toLowerCase()) return undefined;
  const defs = occurrencesOf(model, { kind: 'table', name: symbol.table }).filter((l) => l.occurrence.kind === 'table-def');
  for (const d of defs) {
    const taken = d.parsed.outline.occurrences.some((o) => o.kind === 'column-def' && o.table === symbol.table && o.name.toLowerCase() === lower);
    if (taken) return `Table \`${symbol.table}\` already has a column \`${newName}\`; pick another name.`;
  }
  return undefined;
}

export function rename(ws: Workspace, params: RenameParams): WorkspaceEdit | null {
  const r = resolveAt(ws, params.textDocument.uri, params.position);
  if (!r) return null;
  const newName = params.newName.trim();
  if (!newName || newName.length > 64) {
    throw new ResponseError(ErrorCodes.InvalidParams, 'A MySQL name must be 1 to 64 characters long.');
  }
  refuseObject(r.symbol);
  const clash = renameClash(r.model, r.symbol, newName);
  if (clash) throw new ResponseError(ErrorCodes.InvalidParams, clash);
  const partial = partialRename(r.model, r.symbol);
  if (partial) throw new ResponseError(ErrorCodes.InvalidParams, partial);
  const changes: Record<string, TextEdit[]> = {};
  for (const l of occurrencesOf(r.model, r.symbol)) {
    const { start, end } = l.occurrence;
    const edits = (changes[l.parsed.doc.uri] ??= []);
    edits.push({ range: toRange(l.parsed, start, end), newText: writeName(newName, l.parsed.text.slice(start, end)) });
  }
  return { changes };
}
