/**
 * Diagnostics of a file: parse problems at the exact token, lint violations
 * (one to one), cross-file problems, and files that were not checked with the
 * reason why. Pure: parse, violations and problems in, diagnostics out.
 */
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { allRules } from '../../../engine/src/lint/index.js';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { fileTextProblem } from '../../../engine/src/schema/file-text.js';
import type { SourceRange } from '../../../engine/src/schema/model.js';
import type { SchemaProblem, Violation } from '../engine.js';
import type { ParsedDocument } from '../workspace/documents.js';
import type { CrossFileProblem } from './cross-file.js';

export const DIAGNOSTIC_SOURCE = 'schemabranch';

/** What code actions need from a lint diagnostic, kept in Diagnostic.data. */
export interface DiagnosticData {
  fix?: Violation['fix'];
  suggestion?: string;
}

export function lspRange(r: SourceRange): Diagnostic['range'] {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

const LINT_CODES = new Set(allRules().map((r) => r.code));
/** Codes documented one by one in lsp-extensions.md (the server's own, and the parser's). */
const SERVER_CODES = new Set([
  'syntax-error', 'unterminated-string', 'unterminated-identifier', 'unterminated-comment', 'parser-failure', 'parser-crash',
  'duplicate-table', 'duplicate-object', 'missing-fk-table', 'missing-fk-column', 'missing-index-column', 'file-skipped', 'invalid-utf8', 'server-dependent-comment', 'hidden-character', 'delimiter-line',
]);

/**
 * A code's documentation: lint rules in lint-rules.md, the parser's and the
 * server's own codes in lsp-extensions.md (the same folder), so every link
 * lands on a heading that exists.
 */
export function ruleLink(lintRulesDoc: string): (code: string) => string {
  const lint = pathToFileURL(lintRulesDoc).toString();
  const server = pathToFileURL(join(dirname(lintRulesDoc), 'lsp-extensions.md')).toString();
  return (code) => {
    if (LINT_CODES.has(code)) return `${lint}#${code}`;
    if (SERVER_CODES.has(code)) return `${server}#${code}`;
    return `${server}#${code.startsWith('unsupported-') ? 'parser-gaps' : 'diagnostic-codes'}`;
  };
}

/**
 * One file's diagnostics: what its own text says (skipped, encoding, parse
 * problems), its lint violations, and the cross-file problems found in it.
 */
export function fileDiagnostics(parsed: ParsedDocument, violations: Violation[], cross: CrossFileProblem[], href: (code: string) => string): Diagnostic[] {
  const out = ownDiagnostics(parsed, href);
  if (parsed.doc.skipped) return out;
  for (const p of cross) {
    out.push({ range: lspRange(p.range), severity: DiagnosticSeverity.Error, code: p.code, codeDescription: { href: href(p.code) }, source: DIAGNOSTIC_SOURCE, message: p.message });
  }
  for (const v of violations) {
    if (!v.source || v.source.file !== parsed.doc.path) continue;
    const data: DiagnosticData = { fix: v.fix, suggestion: v.suggestion };
    out.push({
      range: lspRange(v.source.range),
      severity: v.severity === 'error' ? DiagnosticSeverity.Error : v.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
      code: v.code,
      codeDescription: { href: href(v.code) },
      source: DIAGNOSTIC_SOURCE,
      message: v.suggestion ? `${v.message}\nSuggested: ${v.suggestion}` : v.message,
      data,
    });
  }
  return out;
}

function ownDiagnostics(parsed: ParsedDocument, href: (code: string) => string): Diagnostic[] {
  const { doc } = parsed;
  // The same problem the CLI reports for the same bytes (one reader: engine/src/schema/file-text.ts).
  const read = fileTextProblem(doc.path, doc.skipped ? { ok: false, reason: doc.skipped } : { ok: true, text: parsed.text, invalidUtf8At: doc.invalidUtf8At });
  if (doc.skipped) return read ? [problemDiagnostic(read, href)] : [];
  const out: Diagnostic[] = read ? [problemDiagnostic(read, href)] : [];
  for (const p of parsed.problems) out.push(problemDiagnostic(p, href));
  return out;
}

function problemDiagnostic(p: SchemaProblem, href: (code: string) => string): Diagnostic {
  const gap = p.kind === 'unsupported';
  const message = gap && !/parser|schemabranch/i.test(p.message) ? `${p.message} (a gap in schemabranch's parser, not an error in your SQL)` : p.message;
  const expected = p.kind === 'syntax' && p.expected?.length && !/expected/i.test(message) ? `\nExpected: ${p.expected.slice(0, 12).join(', ')}` : '';
  return {
    range: lspRange(p.range),
    severity: gap ? DiagnosticSeverity.Warning : p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: p.code,
    codeDescription: { href: href(p.code) },
    source: DIAGNOSTIC_SOURCE,
    message: message + expected,
  };
}
