/**
 * A forgiving MySQL tokenizer. The engine's parser gives the model; this gives
 * the editor what a parser cannot while the user is typing: every identifier
 * with its exact offsets, even in text that does not parse (unterminated
 * strings and comments simply run to the end of the file).
 */

export type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'punct' | 'comment';

export interface Token {
  kind: TokenKind;
  /** Raw text as written. */
  text: string;
  /** For ident/quoted: the name (backticks removed, `` `` `` unescaped); for others: the raw text. */
  value: string;
  start: number;
  end: number;
  /** True for a string, quoted identifier or block comment that reached the end of the file unclosed. */
  unterminated?: boolean;
}

const IDENT_START = /[A-Za-z_$\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    const start = i;
    if ((c === '-' && text[i + 1] === '-' && (i + 2 >= n || /\s/.test(text[i + 2]))) || c === '#') {
      while (i < n && text[i] !== '\n') i++;
      out.push(tok('comment', text, start, i));
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      out.push({ ...tok('comment', text, start, i), unterminated: close < 0 || undefined });
      continue;
    }
    if (c === '`' || c === "'" || c === '"') {
      let closed = false;
      i++;
      while (i < n) {
        if (text[i] === '\\' && c !== '`') {
          i += 2;
          continue;
        }
        if (text[i] === c) {
          if (text[i + 1] === c) {
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        i++;
      }
      i = Math.min(i, n);
      const raw = text.slice(start, i);
      const inner = raw.slice(1, closed ? -1 : undefined);
      const value = c === '`' ? inner.replace(/``/g, '`') : inner;
      out.push({ kind: c === '`' ? 'quoted' : 'string', text: raw, value, start, end: i, unterminated: closed ? undefined : true });
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < n && /[0-9A-Za-z_.$]/.test(text[i])) i++;
      // 1e10 and 0x1F are numbers; `1abc` is a valid MySQL identifier, but rare enough to ignore here.
      out.push(tok('number', text, start, i));
      continue;
    }
    if (IDENT_START.test(c)) {
      while (i < n && IDENT_PART.test(text[i])) i++;
      out.push(tok('ident', text, start, i));
      continue;
    }
    i++;
    out.push(tok('punct', text, start, i));
  }
  return out;
}

function tok(kind: TokenKind, text: string, start: number, end: number): Token {
  const raw = text.slice(start, end);
  return { kind, text: raw, value: raw, start, end };
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
