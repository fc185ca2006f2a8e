/**
 * The two ways a file keeps the `;` of a trigger's or routine's body inside the statement:
 * the mysql client's `DELIMITER $$` command (dump files), and BEGIN ... END blocks in a
 * file that holds just the statement. Both work on the one lexer's tokens.
 */
import { kw, tokenize, type ServerVersion, type Token } from './lexer.js';
import { HAS_COMPOUND_BODY, objectHeadOf } from './object-head.js';

/**
 * The delimiter a `DELIMITER` command sets (the next word on its line) and where its line
 * ends; `problem` when the line cannot mean the same to schemabranch and to a reader of
 * the file: text after the word is ignored (as the mysql client ignores it), and a
 * delimiter holding a quote, a backslash or a comment mark would end a statement inside
 * what the lexer reads as a string or a comment, or never.
 */
export function delimiterLine(text: string, after: number): { delimiter: string; end: number; problem?: string } {
  let nl = text.indexOf('\n', after);
  if (nl === -1) nl = text.length;
  const words = text.slice(after, nl).trim().split(/\s+/).filter(Boolean);
  const delimiter = words[0] ?? '';
  if (!delimiter) return { delimiter, end: nl, problem: 'DELIMITER needs the delimiter after it on the same line, such as DELIMITER $$.' };
  if (/['"`\\#]|--|\/\*|\*\//.test(delimiter)) return { delimiter: '', end: nl, problem: `The delimiter ${delimiter} holds a quote, a backslash or a comment mark, so statements cannot be told apart the same way everywhere; use $$ or //.` };
  // A comment after the word is one to every reader.
  if (words.length > 1 && !/^(#|--|\/\*)/.test(words[1])) return { delimiter, end: nl, problem: `Only ${delimiter} is read on this DELIMITER line: the rest of it (${words.slice(1).join(' ').slice(0, 40)}) is ignored, as the mysql client ignores it. Put it on a line of its own.` };
  return { delimiter, end: nl };
}

export type Piece = Token | { delimiterAt: number };

/**
 * The tokens, with each occurrence of a custom delimiter outside strings and quoted names
 * turned into a `{ delimiterAt }` piece. A delimiter glued to a word (`END$$`) splits that
 * word: the client cuts there too. `delimiter()` is read at every token, so a DELIMITER
 * command takes effect from the next token on.
 */
export function* withDelimiters(text: string, tokens: readonly Token[], delimiter: () => string, server?: ServerVersion): Generator<Piece> {
  let resumeAt = 0;
  for (const t of tokens) {
    const d = delimiter();
    if (t.end <= resumeAt) continue;
    const from = Math.max(t.start, resumeAt);
    if (from > t.start) {
      // The rest of a token the last delimiter cut: lex it again on its own.
      yield* withDelimiters(text, tokenize(text, from, t.end, server).tokens, delimiter, server);
      continue;
    }
    const at = d === ';' || t.kind === 'string' || t.kind === 'ident' ? -1 : delimiterIn(text, t, d);
    if (at < 0) {
      yield t;
      continue;
    }
    if (at > t.start) yield* tokenize(text, t.start, at, server).tokens;
    yield { delimiterAt: at };
    resumeAt = at + d.length;
    if (resumeAt < t.end) {
      yield* withDelimiters(text, tokenize(text, resumeAt, t.end, server).tokens, delimiter, server);
      resumeAt = t.end;
    }
  }
}

function delimiterIn(text: string, t: Token, d: string): number {
  for (let p = t.start; p < t.end; p++) if (text.startsWith(d, p)) return p;
  return -1;
}

/** Whether a statement's body may hold `;` inside BEGIN ... END (triggers, routines, events). */
export function compoundBody(tokens: readonly Token[]): boolean {
  const head = objectHeadOf(tokens);
  return !!head && HAS_COMPOUND_BODY.has(head.kind);
}

/**
 * Open BEGIN ... END and CASE ... END blocks. END IF, END LOOP, END WHILE and END REPEAT
 * close statements whose opening word is not counted (IF is also the IF() function), so
 * an END is settled by the word after it. BEGIN and END are not reserved words: a BEGIN
 * that reads as a name (`t.begin`, `begin,`, `begin FROM`) opens nothing.
 */
export class BlockDepth {
  private depth = 0;
  private endPending = false;
  private beginPending = false;
  private previous: Token | undefined;

  reset(): void {
    this.depth = 0;
    this.endPending = false;
    this.beginPending = false;
    this.previous = undefined;
  }

  push(t: Token): void {
    const w = kw(t);
    const previous = this.previous;
    this.previous = t;
    if (this.beginPending) {
      this.beginPending = false;
      if (!NAME_FOLLOWERS.has(w) && !(t.kind === 'op' && OP_FOLLOWERS.has(t.value))) this.depth++;
    }
    if (this.endPending) {
      this.endPending = false;
      if (w === 'IF' || w === 'LOOP' || w === 'WHILE' || w === 'REPEAT') return;
      this.depth--;
      if (w === 'CASE') return;
    }
    if (w === 'BEGIN') this.beginPending = !(previous?.kind === 'op' && (previous.value === '.' || previous.value === ','));
    else if (w === 'CASE') this.depth++;
    else if (w === 'END') this.endPending = true;
  }

  /** At a `;`: whether it falls inside a block. */
  open(): boolean {
    // `BEGIN;` opens no block: a block needs a statement and an END.
    this.beginPending = false;
    if (this.endPending) {
      this.endPending = false;
      this.depth--;
    }
    this.previous = undefined;
    return this.depth > 0;
  }
}

/** After a BEGIN that is a name rather than the start of a block. */
const NAME_FOLLOWERS = new Set(['FROM', 'AS', 'IS', 'IN', 'AND', 'OR', 'LIKE', 'BETWEEN', 'ASC', 'DESC']);
const OP_FOLLOWERS = new Set([',', '.', ')', '=', '<', '>', '<=', '>=', '<>', '!=', '+', '-', '*', '/']);
