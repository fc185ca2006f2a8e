/**
 * A small MySQL/MariaDB tokenizer: enough to split files into statements, find the
 * structure of CREATE TABLE and give every element an exact range. It never throws;
 * unterminated strings and comments are reported and end the scan.
 */

export type TokenKind =
  | 'word' // bare identifier or keyword
  | 'ident' // `quoted identifier`
  | 'string' // 'text' or "text"
  | 'number'
  | 'bits' // b'01', x'1f', 0x1f, 0b01
  | 'op'; // punctuation and operators

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Identifiers and strings unescaped; words as written; others as written. */
  value: string;
}

export interface Comment {
  start: number;
  end: number;
  text: string;
}

export interface LexProblem {
  start: number;
  end: number;
  code: 'unterminated-string' | 'unterminated-identifier' | 'unterminated-comment' | 'delimiter-line';
  message: string;
}

export interface LexResult {
  tokens: Token[];
  comments: Comment[];
  /** Offsets of `/*!50100` openers and their closing `*\/`: code the server runs, which the validator must see as blanks. */
  versionMarks: Array<{ start: number; end: number }>;
  problems: LexProblem[];
}

/**
 * The server a text is meant for: it decides which executable comments are code. MariaDB runs
 * `/*!NNNNN ... *\/` when its version is at least NNNNN, except MySQL 5.7+ versions (50700 to
 * 99999), which it skips, and runs `/*M!NNNNNN ... *\/`; MySQL runs `/*!NNNNN` likewise and
 * reads `/*M!` as a plain comment. Versions as numbers: 10.11.0 is 101100, 8.0.36 is 80036.
 */
export interface ServerVersion {
  flavor: 'mariadb' | 'mysql';
  version: number;
}

/** What a file means when no server is known: the sandbox's MariaDB 10.11 (any patch release). */
export const DEFAULT_SERVER: ServerVersion = { flavor: 'mariadb', version: 101199 };

/** The server assumed for a flavour alone: MariaDB 10.11 or MySQL 8.0, the ones the reserved-word lists follow. */
export function defaultServer(flavor: ServerVersion['flavor'] = 'mariadb'): ServerVersion {
  return flavor === 'mysql' ? { flavor, version: 80099 } : DEFAULT_SERVER;
}

/** `10.11.19-MariaDB-0+deb12u1` -> mariadb 101119; `8.0.36` -> mysql 80036. */
export function serverVersionOf(versionText: string): ServerVersion {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(versionText);
  const flavor = /mariadb/i.test(versionText) ? 'mariadb' : 'mysql';
  if (!m) return { ...DEFAULT_SERVER, flavor };
  return { flavor, version: Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) };
}

/** Whether `server` runs the executable comment `/*!digits` (or `/*M!digits` when mariadbOnly). */
export function runsExecutableComment(server: ServerVersion, mariadbOnly: boolean, digits: string): boolean {
  if (mariadbOnly && server.flavor !== 'mariadb') return false;
  if (digits.length < 5) return true;
  const version = Number(digits);
  if (version > server.version) return false;
  return server.flavor === 'mysql' || mariadbOnly || version < 50700 || version > 99999;
}

/**
 * Whether it depends on the server whether `/*!digits` (or `/*M!digits`) runs: MariaDB-only
 * comments, and versions from 50700 (which MariaDB skips and later servers run). Anything
 * else runs on every supported server (or is refused by it: `/*!12` is a syntax error).
 */
export function serverDependentComment(mariadbOnly: boolean, digits: string): boolean {
  return mariadbOnly || (digits.length >= 5 && Number(digits) >= 50700);
}

const OPS3 = new Set(['<=>']);
const OPS2 = new Set(['<=', '>=', '<>', '!=', '||', '&&', '<<', '>>', ':=', '->']);

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 128;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Reads a quoted run starting at `start` (the quote); returns the end offset (after the closing quote) or -1. */
function readQuoted(text: string, start: number, quote: number, backslash: boolean): { end: number; value: string } | null {
  let value = '';
  let i = start + 1;
  let runStart = i;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      if (text.charCodeAt(i + 1) === quote) {
        value += text.slice(runStart, i + 1);
        i += 2;
        runStart = i;
        continue;
      }
      value += text.slice(runStart, i);
      return { end: i + 1, value };
    }
    if (backslash && c === 92 && i + 1 < n) {
      value += text.slice(runStart, i) + unescape(text[i + 1]);
      i += 2;
      runStart = i;
      continue;
    }
    i++;
  }
  return null;
}

function unescape(ch: string): string {
  switch (ch) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case '0': return '\0';
    case 'b': return '\b';
    case 'Z': return '\x1a';
    case '%': return '\\%';
    case '_': return '\\_';
    default: return ch;
  }
}

export function tokenize(text: string, from = 0, to = text.length, server: ServerVersion = DEFAULT_SERVER): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const versionMarks: Array<{ start: number; end: number }> = [];
  const problems: LexProblem[] = [];
  let inVersioned = false;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    // Comments: `-- ` needs a space or control character after the dashes (MySQL rule). DEL
    // (127) is a control character to the server too: `--<DEL>` starts a comment there.
    if (c === 35 || (c === 45 && next === 45 && (i + 2 >= to || text.charCodeAt(i + 2) <= 32 || text.charCodeAt(i + 2) === 127))) {
      let e = text.indexOf('\n', i);
      if (e === -1 || e > to) e = to;
      comments.push({ start: i, end: e, text: text.slice(i, e) });
      i = e;
      continue;
    }
    if (c === 47 && next === 42) {
      const bang = text.charCodeAt(i + 2);
      if (bang === 33 || (bang === 77 && text.charCodeAt(i + 3) === 33)) {
        // /*!50100 ... */ and MariaDB's /*M!100100 ... */: code when this server runs them, else comments.
        const open = i + (bang === 33 ? 3 : 4);
        let e = open;
        while (e < to && e < open + 6 && isDigit(text.charCodeAt(e))) e++;
        if (runsExecutableComment(server, bang === 77, text.slice(open, e))) {
          versionMarks.push({ start: i, end: e });
          inVersioned = true;
          i = e;
          continue;
        }
      }
      const e = text.indexOf('*/', i + 2);
      if (e === -1 || e + 2 > to) {
        problems.push({ start: i, end: to, code: 'unterminated-comment', message: 'This /* comment is never closed with */.' });
        break;
      }
      comments.push({ start: i, end: e + 2, text: text.slice(i, e + 2) });
      i = e + 2;
      continue;
    }
    if (inVersioned && c === 42 && next === 47) {
      versionMarks.push({ start: i, end: i + 2 });
      inVersioned = false;
      i += 2;
      continue;
    }
    if (c === 39 || c === 34 || c === 96) {
      const q = readQuoted(text, i, c, c !== 96);
      if (!q || q.end > to) {
        const what = c === 96 ? 'identifier' : 'string';
        problems.push({
          start: i,
          end: to,
          code: c === 96 ? 'unterminated-identifier' : 'unterminated-string',
          message: `This ${what} starting with ${text[i]} is never closed.`,
        });
        break;
      }
      tokens.push({ kind: c === 96 ? 'ident' : 'string', start: i, end: q.end, value: q.value });
      i = q.end;
      continue;
    }
    // b'0101' and x'1f' literals
    if ((c === 98 || c === 66 || c === 120 || c === 88) && next === 39) {
      const e = text.indexOf("'", i + 2);
      if (e === -1 || e >= to) {
        problems.push({ start: i, end: to, code: 'unterminated-string', message: 'This literal is never closed with a quote.' });
        break;
      }
      tokens.push({ kind: 'bits', start: i, end: e + 1, value: text.slice(i, e + 1) });
      i = e + 1;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(next))) {
      let e = i;
      if (c === 48 && (next === 120 || next === 98)) {
        e = i + 2;
        while (e < to && isWordChar(text.charCodeAt(e))) e++;
        tokens.push({ kind: 'bits', start: i, end: e, value: text.slice(i, e) });
        i = e;
        continue;
      }
      while (e < to && isDigit(text.charCodeAt(e))) e++;
      const integerEnd = e;
      if (text.charCodeAt(e) === 46) {
        e++;
        while (e < to && isDigit(text.charCodeAt(e))) e++;
      }
      const ec = text.charCodeAt(e);
      if ((ec === 101 || ec === 69) && (isDigit(text.charCodeAt(e + 1)) || ((text.charCodeAt(e + 1) === 43 || text.charCodeAt(e + 1) === 45) && isDigit(text.charCodeAt(e + 2))))) {
        e += 2;
        while (e < to && isDigit(text.charCodeAt(e))) e++;
      }
      if (e === integerEnd && e < to && isWordChar(text.charCodeAt(e))) {
        // MySQL identifiers may start with digits (1col); 1.5x is a number, then a word.
        while (e < to && isWordChar(text.charCodeAt(e))) e++;
        tokens.push({ kind: 'word', start: i, end: e, value: text.slice(i, e) });
      } else {
        tokens.push({ kind: 'number', start: i, end: e, value: text.slice(i, e) });
      }
      i = e;
      continue;
    }
    if (isWordChar(c)) {
      let e = i + 1;
      while (e < to && isWordChar(text.charCodeAt(e))) e++;
      tokens.push({ kind: 'word', start: i, end: e, value: text.slice(i, e) });
      i = e;
      continue;
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const len = OPS3.has(three) ? 3 : OPS2.has(two) ? 2 : 1;
    tokens.push({ kind: 'op', start: i, end: i + len, value: text.slice(i, i + len) });
    i += len;
  }
  return { tokens, comments, versionMarks, problems };
}

/** Upper-case value of a bare word, '' for anything else: keyword tests read better with it. */
export function kw(t: Token | undefined): string {
  return t && t.kind === 'word' ? t.value.toUpperCase() : '';
}

export function isOp(t: Token | undefined, op: string): boolean {
  return !!t && t.kind === 'op' && t.value === op;
}

/** Index of the token closing the parenthesis opened at `open`, or -1. */
export function matchParen(tokens: Token[], open: number, limit = tokens.length): number {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const t = tokens[i];
    if (t.kind !== 'op') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
