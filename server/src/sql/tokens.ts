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

// Character classes by code unit: this runs on every file at startup, so no regular expressions per character.
function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 0x80;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const c = text[i];
    const start = i;
    if ((c === '-' && text[i + 1] === '-' && (i + 2 >= n || isSpace(text.charCodeAt(i + 2)))) || c === '#') {
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
    if (isDigit(code)) {
      while (i < n && (isIdentPart(text.charCodeAt(i)) || text[i] === '.')) i++;
      // 1e10 and 0x1F are numbers; `1abc` is a valid MySQL identifier, but rare enough to ignore here.
      out.push(tok('number', text, start, i));
      continue;
    }
    if (isIdentStart(code)) {
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
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
