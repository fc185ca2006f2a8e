import { kw, tokenize, type LexProblem, type LexResult, type ServerVersion, type Token } from './lexer.js';
import { BlockDepth, compoundBody, delimiterLine, withDelimiters } from './delimiter.js';

/** One statement of a schema file: its tokens, where it is, and the lint codes silenced for it. */
export interface Statement {
  /** Offset of the first token, and just past the last token (the `;` is not included). */
  start: number;
  end: number;
  /** Offset of the delimiter that ends it, or the text's length when none does (the editor's "statement at the cursor"). */
  stop: number;
  tokens: Token[];
  /** `/*!50100` and matching `*\/` marks inside the statement. */
  versionMarks: Array<{ start: number; end: number }>;
  /** Codes from `-- schemabranch:nolint a, b` comments before or inside the statement. */
  nolint: string[];
  /** An unterminated string or comment that cut this statement short. */
  lexProblem?: LexProblem;
}

export interface SplitResult {
  statements: Statement[];
  /** Lexical problems that do not fall inside any statement (e.g. an unterminated comment at the end). */
  strayProblems: LexProblem[];
}

const NOLINT = /schemabranch:nolint\b([^*\n]*)/i;

/**
 * Splits a file at top-level `;` (strings, identifiers and comments respected; executable
 * comments as `server` reads them; `lexed`, when given, is this text lexed for that server). Two conventions keep a routine's or trigger's own `;`
 * inside it: the mysql client's `DELIMITER $$` lines (as in dump files), and, for a file
 * holding just the statement, BEGIN ... END blocks. Never throws.
 */
export function splitStatements(text: string, server?: ServerVersion, lexed?: LexResult): SplitResult {
  // The editor lexes the text for itself too: it passes its tokens rather than have them made twice.
  const lex = lexed ?? tokenize(text, 0, text.length, server);
  const statements: Statement[] = [];
  let current: Token[] = [];
  const blocks = new BlockDepth();
  const flush = (stop: number): void => {
    blocks.reset();
    if (current.length === 0) return;
    statements.push({ start: current[0].start, end: current[current.length - 1].end, stop, tokens: current, versionMarks: [], nolint: [] });
    current = [];
  };
  let delimiter = ';';
  let skipUntil = -1;
  const delimiterProblems: LexProblem[] = [];
  for (const piece of withDelimiters(text, lex.tokens, () => delimiter, server)) {
    if ('delimiterAt' in piece) {
      if (piece.delimiterAt >= skipUntil) flush(piece.delimiterAt);
      continue;
    }
    const t = piece;
    if (t.start < skipUntil) continue;
    if (current.length === 0 && kw(t) === 'DELIMITER') {
      // A client command, not SQL: the rest of its line is the new delimiter.
      const line = delimiterLine(text, t.end);
      if (line.delimiter) delimiter = line.delimiter;
      if (line.problem) delimiterProblems.push({ start: t.start, end: line.end, code: 'delimiter-line', message: line.problem });
      skipUntil = line.end;
      continue;
    }
    if (delimiter === ';' && t.kind === 'op' && t.value === ';') {
      if (blocks.open() && compoundBody(current)) current.push(t);
      else flush(t.start);
      continue;
    }
    current.push(t);
    if (kw(current[0]) === 'CREATE') blocks.push(t);
  }
  const trailing = current;
  flush(text.length);

  const strayProblems: LexProblem[] = [];
  for (const p of lex.problems) {
    // The lexer stops at the problem, so it belongs to the last statement if that one was still open.
    const last = statements[statements.length - 1];
    if (last && trailing.length > 0 && last.tokens === trailing) last.lexProblem = p;
    else {
      statements.push({ start: p.start, end: p.end, stop: text.length, tokens: [], versionMarks: [], nolint: [], lexProblem: p });
    }
  }

  // A DELIMITER line that cannot be read is an error at the line (after the statements, as stray problems are).
  for (const p of delimiterProblems) {
    statements.push({ start: p.start, end: p.end, stop: text.length, tokens: [], versionMarks: [], nolint: [], lexProblem: p });
  }

  // Comments up to a statement's stop are its own.
  let s = 0;
  // Sets while collecting: a comment listing 70,000 codes made includes() per code quadratic.
  const nolint = new Map<number, Set<string>>();
  for (const c of lex.comments) {
    const m = NOLINT.exec(c.text);
    if (!m) continue;
    while (s < statements.length && statements[s].stop <= c.start) s++;
    if (s >= statements.length) break;
    let codes = nolint.get(s);
    if (!codes) nolint.set(s, (codes = new Set()));
    for (const code of m[1].split(/[\s,]+/)) {
      const clean = code.trim();
      if (clean) codes.add(clean);
    }
  }
  for (const [k, codes] of nolint) statements[k].nolint = [...codes];
  s = 0;
  for (const v of lex.versionMarks) {
    while (s < statements.length && statements[s].stop <= v.start) s++;
    if (s >= statements.length) break;
    statements[s].versionMarks.push(v);
  }
  return { statements, strayProblems };
}
