/**
 * Completion from the tokens before the cursor, so it works in text that does
 * not parse yet (which, while typing, is most of the time).
 */
import { CompletionItemKind, type CompletionItem, type CompletionParams } from 'vscode-languageserver';
import { isName, isPunct, isWord, type Token } from '../sql/tokens.js';
import { statementAt } from '../sql/outline.js';
import type { BranchModel } from '../workspace/branch-model.js';
import type { Workspace } from '../workspace/workspace.js';
import { at } from './resolve.js';
import * as words from './sql-words.js';

export type CompletionContext =
  | { kind: 'statement' }
  | { kind: 'element-start' }
  | { kind: 'column-type' }
  | { kind: 'column-attribute' }
  | { kind: 'charset' }
  | { kind: 'collation'; charset?: string }
  | { kind: 'engine' }
  | { kind: 'table-option' }
  | { kind: 'key-columns'; table: string }
  | { kind: 'referenced-table' }
  | { kind: 'referenced-columns'; table: string }
  | { kind: 'none' };

const KEY_HEADS = new Set(['PRIMARY', 'KEY', 'INDEX', 'UNIQUE', 'FULLTEXT', 'SPATIAL', 'FOREIGN', 'CONSTRAINT']);

/** Where the cursor is, judged from the statement's tokens before it. */
export function completionContext(tokens: Token[], offset: number, table: string | undefined): CompletionContext {
  // Inside a string or comment (or at the end of a line comment or an unclosed one) nothing is offered.
  const inText = tokens.some(
    (t) =>
      (t.kind === 'comment' || t.kind === 'string') &&
      t.start < offset &&
      (offset < t.end || (offset === t.end && (t.unterminated === true || (t.kind === 'comment' && !t.text.startsWith('/*'))))),
  );
  if (inText) return { kind: 'none' };
  // The word being typed is the prefix, not context.
  const before = tokens.filter((t) => t.kind !== 'comment' && t.end <= offset && !(t.end === offset && (t.kind === 'ident' || t.kind === 'quoted')));
  const prev = before[before.length - 1];
  const prev2 = before[before.length - 2];
  if (!before.length || !isWord(before[0], 'CREATE')) return { kind: 'statement' };
  if (isWord(prev, 'REFERENCES')) return { kind: 'referenced-table' };
  if ((isWord(prev, 'SET') && isWord(prev2, 'CHARACTER')) || isWord(prev, 'CHARSET')) return { kind: 'charset' };
  if (isPunct(prev, '=') && (isWord(prev2, 'CHARSET') || (isWord(prev2, 'SET') && isWord(before[before.length - 3], 'CHARACTER')))) return { kind: 'charset' };
  if (isWord(prev, 'COLLATE') || (isPunct(prev, '=') && isWord(prev2, 'COLLATE'))) return { kind: 'collation', charset: declaredCharset(before) };
  if (isWord(prev, 'ENGINE') || (isPunct(prev, '=') && isWord(prev2, 'ENGINE'))) return { kind: 'engine' };

  // Find the innermost open parenthesis.
  const open: number[] = [];
  for (let i = 0; i < before.length; i++) {
    if (isPunct(before[i], '(')) open.push(i);
    else if (isPunct(before[i], ')')) open.pop();
  }
  if (!open.length) {
    const bodyClosed = before.some((t) => isPunct(t, ')'));
    return bodyClosed ? { kind: 'table-option' } : { kind: 'none' };
  }
  const paren = open[open.length - 1];
  const head = before[paren - 1];
  const atPartStart = isPunct(prev, '(') || isPunct(prev, ',');
  if (open.length >= 2) {
    if (isName(head) && isWord(before[paren - 2], 'REFERENCES')) return atPartStart ? { kind: 'referenced-columns', table: head.value } : { kind: 'none' };
    // A key's column list: the element that owns the parenthesis starts with a key word.
    const first = before[elementStart(before, open[1], open[0])];
    if (first?.kind === 'ident' && KEY_HEADS.has(first.value.toUpperCase()) && table) return atPartStart ? { kind: 'key-columns', table } : { kind: 'none' };
    return { kind: 'none' };
  }
  if (atPartStart) return { kind: 'element-start' };
  const start = elementStart(before, before.length, paren);
  const first = before[start];
  if (first?.kind === 'ident' && KEY_HEADS.has(first.value.toUpperCase())) return { kind: 'none' };
  if (before.length - start === 1 && isName(first)) return { kind: 'column-type' };
  return { kind: 'column-attribute' };
}

/** Index of the first token of the body element that holds the token just before `upto`. */
function elementStart(before: Token[], upto: number, bodyParen: number): number {
  let depth = 0;
  for (let i = upto - 1; i > bodyParen; i--) {
    if (isPunct(before[i], ')')) depth++;
    else if (isPunct(before[i], '(')) depth--;
    else if (depth === 0 && isPunct(before[i], ',')) return i + 1;
  }
  return bodyParen + 1;
}

function declaredCharset(before: Token[]): string | undefined {
  for (let i = before.length - 1; i > 0; i--) {
    if (isPunct(before[i], ',')) return undefined;
    if (isWord(before[i - 1], 'CHARSET') || (isWord(before[i - 1], 'SET') && isWord(before[i - 2], 'CHARACTER'))) return before[i].value.toLowerCase();
  }
  return undefined;
}

export function completion(ws: Workspace, params: CompletionParams): CompletionItem[] {
  const base = at(ws, params.textDocument.uri, params.position);
  if (!base) return [];
  const st = statementAt(base.parsed.outline, base.offset);
  const tokens = st ? base.parsed.outline.tokens.filter((t) => t.start >= st.start && t.start < base.offset) : [];
  const ctx = completionContext(tokens, base.offset, st?.table);
  return itemsFor(ctx, base.model, base.parsed.outline.occurrences, st?.table);
}

function item(label: string, kind: CompletionItemKind, detail?: string): CompletionItem {
  return { label, kind, detail };
}

export function itemsFor(ctx: CompletionContext, model: BranchModel, local: { kind: string; name: string; table: string }[], current?: string): CompletionItem[] {
  const kw = (list: string[]): CompletionItem[] => list.map((w) => item(w, CompletionItemKind.Keyword));
  switch (ctx.kind) {
    case 'statement':
      return kw(words.STATEMENT_STARTERS);
    case 'element-start':
      return kw(words.ELEMENT_STARTERS);
    case 'column-type':
      return words.COLUMN_TYPES.map((t) => item(t, CompletionItemKind.TypeParameter, 'column type'));
    case 'column-attribute':
      return [...kw(words.COLUMN_ATTRIBUTES), ...kw(words.FK_ACTIONS)];
    case 'charset':
      return words.CHARSETS.map((c) => item(c, CompletionItemKind.Value, 'character set'));
    case 'collation':
      return words.COLLATIONS.filter((c) => !ctx.charset || c === 'binary' || c.startsWith(ctx.charset + '_')).map((c) => item(c, CompletionItemKind.Value, 'collation'));
    case 'engine':
      return words.ENGINES.map((e) => item(e, CompletionItemKind.Value, 'storage engine'));
    case 'table-option':
      return kw(words.TABLE_OPTIONS);
    case 'key-columns':
    case 'referenced-columns':
      return columnsOf(ctx.table, model, local, ctx.kind === 'key-columns' ? current : undefined);
    case 'referenced-table': {
      const names = new Set<string>(model.known.keys());
      for (const f of model.files) for (const o of f.outline.occurrences) if (o.kind === 'table-def') names.add(o.name);
      return [...names].sort().map((n) => item(n, CompletionItemKind.Class, model.branch ? `table in ${model.branch}` : 'table'));
    }
    case 'none':
      return [];
  }
}

/** The table's columns: what the parse knows, plus names typed in this statement that do not parse yet. */
function columnsOf(table: string, model: BranchModel, local: { kind: string; name: string; table: string }[], current?: string): CompletionItem[] {
  const out = new Map<string, CompletionItem>();
  for (const c of model.known.get(table)?.columns ?? []) out.set(c.name.toLowerCase(), item(c.name, CompletionItemKind.Field, `${table} column`));
  const sources = current === table ? [local] : model.files.map((f) => f.outline.occurrences);
  for (const list of sources) {
    for (const o of list) {
      if (o.kind === 'column-def' && o.table === table && !out.has(o.name.toLowerCase())) out.set(o.name.toLowerCase(), item(o.name, CompletionItemKind.Field, `${table} column`));
    }
  }
  return [...out.values()];
}
