/**
 * The editor's view of the engine's one lexer (engine/src/schema/lexer.ts): the
 * same tokens, plus what a parser does not need and the editor does while the
 * user is typing: comments in the stream, and an unterminated string, quoted
 * name or comment as one token running to the end of the file, so every
 * identifier before it keeps its exact offsets.
 */
import { tokenize as lex, type LexProblem, type LexResult, type Token as LexToken } from '../../../engine/src/schema/lexer.js';

export type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'punct' | 'comment';

export interface Token {
  kind: TokenKind;
  /** Raw text as written. */
  text: string;
  /** For ident/quoted: the name (backticks removed, `` `` `` unescaped); for strings: the text between the quotes, as written; for others: the raw text. */
  value: string;
  start: number;
  end: number;
  /** True for a string, quoted identifier or block comment that reached the end of the file unclosed. */
  unterminated?: boolean;
}

const KIND: Record<LexToken['kind'], TokenKind> = { word: 'ident', ident: 'quoted', string: 'string', number: 'number', bits: 'number', op: 'punct' };

export function tokenize(text: string): Token[] {
  return editorTokens(text, lex(text));
}

/** The editor's tokens of a text the engine's lexer read; `made` learns which editor token each lexer token became. */
export function editorTokens(text: string, lexed: LexResult, made?: Map<LexToken, Token>): Token[] {
  const { tokens, comments, versionMarks, problems } = lexed;
  const out: Token[] = tokens.map((t) => {
    const e = editorToken(text, t);
    made?.set(t, e);
    return e;
  });
  // Executable-comment markers (`/*!50100`, the closing `*\/`) read as comments: not names, never reformatted away.
  for (const c of [...comments, ...versionMarks]) out.push({ kind: 'comment', text: text.slice(c.start, c.end), value: text.slice(c.start, c.end), start: c.start, end: c.end });
  const open = problems[0];
  if (open) out.push(unterminated(text, open));
  return out.sort((a, b) => a.start - b.start);
}

/** One token of the engine's lexer as the editor sees it. */
export function editorToken(text: string, t: LexToken): Token {
  const raw = text.slice(t.start, t.end);
  const value = t.kind === 'ident' ? t.value : t.kind === 'string' ? raw.slice(1, -1) : raw;
  return { kind: KIND[t.kind], text: raw, value, start: t.start, end: t.end };
}

/** The lexer stops at an unclosed quote or comment; the rest of the file is that one token. */
function unterminated(text: string, p: LexProblem): Token {
  const raw = text.slice(p.start);
  const kind: TokenKind = p.code === 'unterminated-comment' ? 'comment' : p.code === 'unterminated-identifier' ? 'quoted' : 'string';
  const value = kind === 'quoted' ? raw.slice(1).replace(/``/g, '`') : kind === 'string' ? raw.slice(1) : raw;
  return { kind, text: raw, value, start: p.start, end: text.length, unterminated: true };
}

/** An identifier token, bare or backquoted. */
export function isName(t: Token | undefined): t is Token {
  return !!t && (t.kind === 'ident' || t.kind === 'quoted');
}

/** A bare word equal to `word` (case-insensitive); backquoted names are never keywords. */
export function isWord(t: Token | undefined, word: string): boolean {
  return !!t && t.kind === 'ident' && t.value.toUpperCase() === word;
}

export function isPunct(t: Token | undefined, p: string): boolean {
  return !!t && t.kind === 'punct' && t.text === p;
}
