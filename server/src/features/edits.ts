/** Code actions for lint fixes, and formatting to the canonical CREATE TABLE. */
import { CodeActionKind, type CodeAction, type CodeActionParams, type DocumentFormattingParams, type TextEdit } from 'vscode-languageserver';
import { pathToFileURL } from 'node:url';
import type { SchemaEngine } from '../engine.js';
import { DIAGNOSTIC_SOURCE, lspRange, type DiagnosticData } from '../diagnostics/diagnostics.js';
import type { Workspace } from '../workspace/workspace.js';
import { toRange } from './resolve.js';

export function codeActions(ws: Workspace, params: CodeActionParams): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    const fix = (d.data as DiagnosticData | undefined)?.fix;
    if (!fix) continue;
    const changes: Record<string, TextEdit[]> = {};
    for (const e of fix.edits) {
      const uri = ws.docs.get(e.file)?.uri ?? pathToFileURL(e.file).toString();
      (changes[uri] ??= []).push({ range: lspRange(e.range), newText: e.newText });
    }
    out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes } });
  }
  return out;
}

/**
 * Each CREATE TABLE the parser read completely is rewritten in canonical form.
 * A statement with comments inside is left alone: the canonical form cannot
 * keep them, and losing a comment is worse than an unformatted table.
 */
export function formatDocument(ws: Workspace, engine: SchemaEngine, params: DocumentFormattingParams): TextEdit[] {
  const doc = ws.documentByUri(params.textDocument.uri);
  if (!doc || doc.skipped) return [];
  const parsed = ws.parsed(doc);
  if (parsed.broken) return [];
  const edits: TextEdit[] = [];
  for (const table of parsed.tables) {
    const src = table.source;
    if (!src) continue;
    const start = src.range.start.offset;
    const end = src.range.end.offset;
    const hasComment = parsed.outline.tokens.some((t) => t.kind === 'comment' && t.start >= start && t.end <= end);
    if (hasComment) continue;
    const current = parsed.text.slice(start, end);
    let canonical = engine.renderCreateTable(table);
    if (current.trimEnd().endsWith(';')) canonical += ';';
    if (current.trimEnd() !== canonical) edits.push({ range: toRange(parsed, start, start + current.trimEnd().length), newText: canonical });
  }
  return edits;
}
