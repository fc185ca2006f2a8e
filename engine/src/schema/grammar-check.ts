import { Parser as MariaDbParser } from 'node-sql-parser/build/mariadb';
import { Parser as MySqlParser } from 'node-sql-parser/build/mysql';
import type { SchemaProblem } from './problems.js';
import type { LineIndex } from './text.js';
import type { Token } from './lexer.js';

export type Dialect = 'mariadb' | 'mysql';

interface PegLocation {
  start: { offset: number };
}
interface PegExpectation {
  type: string;
  text?: string;
  description?: string;
  parts?: unknown[];
}
interface PegSyntaxError {
  name?: string;
  message?: string;
  location?: PegLocation;
  expected?: PegExpectation[] | null;
  found?: string | null;
}

let parsers: { mariadb?: MariaDbParser; mysql?: MySqlParser } = {};

function parserFor(dialect: Dialect): { astify: (sql: string, opt: object) => unknown } {
  if (dialect === 'mysql') return (parsers.mysql ??= new MySqlParser());
  return (parsers.mariadb ??= new MariaDbParser());
}

/** Statements node-sql-parser accepted, oldest first (a Set keeps insertion order). */
const accepted = new Set<string>();
const ACCEPTED_LIMIT = 20_000;
const ACCEPTED_MAX_LENGTH = 64 * 1024;

function remember(key: string): void {
  if (key.length > ACCEPTED_MAX_LENGTH) return;
  accepted.add(key);
  if (accepted.size > ACCEPTED_LIMIT) accepted.delete(accepted.values().next().value as string);
}

/**
 * node-sql-parser spends 1 to 4 microseconds per byte (a PEG parser: every operand goes
 * through every precedence rule), so a 512 KB file through it could take two seconds, on
 * every keystroke. One parse of a file may send at most this much text through it; what
 * is past the budget is not grammar-checked, and one warning says so (a limit of
 * schemabranch: our own reader still reads and checks everything, the server the rest).
 */
export const GRAMMAR_BUDGET_BYTES = 160 * 1024;

export class GrammarBudget {
  remaining = GRAMMAR_BUDGET_BYTES;
  skipped = 0;
  /** File offset of the first statement or expression left unchecked. */
  firstSkipped: number | undefined;

  /** Takes `bytes` from the budget, or records a skip at `offset` and returns false. */
  spend(bytes: number, offset: number): boolean {
    if (bytes <= this.remaining) {
      this.remaining -= bytes;
      return true;
    }
    this.skipped++;
    this.firstSkipped ??= offset;
    return false;
  }
}

/** For benchmarks that measure a cold start. */
export function resetGrammarCache(): void {
  parsers = {};
  accepted.clear();
}

/**
 * Runs node-sql-parser over one statement whose gaps were blanked (same length, so its
 * offsets are the file's offsets minus the statement start) and turns a rejection into a
 * located 'syntax' problem naming what was expected.
 */
/** A statement prepared for the grammar check: see prepare() in parse.ts. */
export interface Prepared {
  text: string;
  /** Offset in `text` where each kept token starts, ascending. */
  starts: number[];
  /** Index (in the statement's tokens) of each kept token. */
  kept: number[];
}

export function grammarCheck(prepared: Prepared, original: string, file: string, lines: LineIndex, tokens: Token[], dialect: Dialect, budget?: GrammarBudget): SchemaProblem | undefined {
  // The PEG parser is most of the cost of a parse; a branch re-parsed on every keystroke
  // repeats the same statements, so statements that passed are remembered.
  const key = dialect + '\0' + prepared.text;
  if (accepted.has(key)) return undefined;
  if (budget && !budget.spend(prepared.text.length, tokens[0].start)) return undefined;
  try {
    parserFor(dialect).astify(prepared.text, { database: dialect === 'mysql' ? 'MySQL' : 'MariaDB', trimQuery: false });
    remember(key);
    return undefined;
  } catch (err) {
    const e = err as PegSyntaxError;
    const first = tokens[0];
    if (!e || e.name !== 'SyntaxError' || !e.location) {
      return {
        file,
        range: lines.range(first.start, first.end),
        kind: 'unsupported',
        code: 'parser-failure',
        severity: 'warning',
        message: `schemabranch's parser failed on this statement (${e && e.message ? e.message : String(err)}); this is a gap in schemabranch, not necessarily an error in your file.`,
      };
    }
    const token = tokenAtPrepared(prepared, tokens, e.location.start.offset);
    const range = token ? lines.range(token.start, token.end) : lines.range(tokens[tokens.length - 1].end, tokens[tokens.length - 1].end);
    const expected = describeExpected(e.expected ?? []);
    const found = token ? `'${truncate(original.slice(token.start, token.end))}'` : 'the end of the statement';
    const shown = expected.length > 12 ? expected.slice(0, 12).join(', ') + ', ...' : expected.join(', ');
    return {
      file,
      range,
      kind: 'syntax',
      code: 'syntax-error',
      severity: 'error',
      message: `Syntax error at line ${range.start.line + 1}, column ${range.start.character + 1}: expected ${shown || 'something else'} but found ${found}.`,
      expected,
    };
  }
}

/** The statement token at an offset of the prepared text (undefined past the end). */
function tokenAtPrepared(prepared: Prepared, tokens: Token[], offset: number): Token | undefined {
  if (offset >= prepared.text.length) return undefined;
  let lo = 0;
  let hi = prepared.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (prepared.starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return tokens[prepared.kept[lo]];
}

function truncate(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

/** Readable expectations: keywords and punctuation, without whitespace and comment openers. */
function describeExpected(list: PegExpectation[]): string[] {
  const out = new Set<string>();
  for (const x of list) {
    if (x.type === 'literal' && x.text !== undefined) {
      if (x.text === '/*' || x.text === '--' || x.text === '#' || x.text.trim() === '') continue;
      out.add(/^[a-z_ ]+$/i.test(x.text) ? x.text.toUpperCase() : x.text);
    } else if (x.type === 'class') {
      const parts = JSON.stringify(x.parts ?? []);
      if (parts.includes('"\\t"') || parts.includes('" "')) continue;
      if (/"A","Z"/.test(parts) || /\["a","z"\]/.test(parts)) out.add('an identifier');
      else if (/"0","9"/.test(parts)) out.add('a number');
    } else if (x.type === 'end') out.add('the end of the statement');
    else if (x.type === 'other' && x.description) out.add(x.description);
  }
  return [...out].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function rank(s: string): number {
  if (/^[A-Z]/.test(s)) return 0;
  if (s.startsWith('an ') || s.startsWith('a ') || s.startsWith('the ')) return 1;
  return 2;
}

/**
 * Checks one expression (a CHECK, a generated column, a DEFAULT (...)) as `SELECT <expr>`.
 * Returns the offending offset (in the file) and what was expected, or undefined when it parses.
 */
export function expressionGrammarCheck(text: string, start: number, end: number, dialect: Dialect, budget?: GrammarBudget): { offset: number; expected: string[] } | undefined {
  if (budget && !budget.spend(end - start, start)) return undefined;
  // In parentheses, so a trailing word cannot pass as a column alias.
  const prefix = 'SELECT (';
  try {
    parserFor(dialect).astify(prefix + text.slice(start, end) + ')', { database: dialect === 'mysql' ? 'MySQL' : 'MariaDB', trimQuery: false });
    return undefined;
  } catch (err) {
    const e = err as PegSyntaxError;
    if (!e || e.name !== 'SyntaxError' || !e.location) return undefined;
    return { offset: Math.min(end, Math.max(start, start + e.location.start.offset - prefix.length)), expected: describeExpected(e.expected ?? []) };
  }
}
