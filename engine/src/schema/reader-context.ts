import type { SourceRange, SourceRef } from './model.js';
import type { Token } from './lexer.js';
import type { SchemaProblem } from './problems.js';
import type { LineIndex } from './text.js';
import { MARIADB_1011, MYSQL_80 } from '../lint/reserved-words.js';
import { readExpression } from './expression-tree.js';
import { isBitsLiteral } from './expression.js';
import { expressionGrammarCheck, type GrammarBudget } from './grammar-check.js';
import { matchParens } from './nesting.js';
import { identifierProblem } from '../sql/quote.js';

/**
 * Shared state while one CREATE TABLE statement is read: the tokens, where problems go,
 * and the spans the grammar check must see as blanks (constructs read here that
 * node-sql-parser cannot read, or that this reader validates itself).
 */
export class ReaderContext {
  readonly problems: SchemaProblem[] = [];
  /** Token index ranges [from, to) the grammar check does not see. */
  readonly blanks: Array<[number, number]> = [];
  /** Token index -> the text the grammar check sees instead of that token. */
  readonly substitutions = new Map<number, string>();
  /** Where the last REFERENCES clause read ended (a column definition continues after it). */
  referencesEnd = 0;
  /** While true, expressions are read without reporting (a first pass that only finds their extent). */
  quiet = false;
  /** Work that needs every column name of the table (canonical expressions); run by readCreateTable. */
  readonly later: Array<(columns: ReadonlySet<string>) => void> = [];

  constructor(
    readonly file: string,
    readonly text: string,
    readonly tokens: Token[],
    readonly lines: LineIndex,
    readonly dialect: 'mariadb' | 'mysql' = 'mariadb',
    /** SHOW CREATE TABLE output: no grammar checks of expressions (the server accepted them). */
    readonly fromServer = false,
    /** node-sql-parser time left for this file. */
    readonly grammarBudget?: GrammarBudget,
  ) {}

  /**
   * The identifier at i, for a place where the grammar wants a name. node-sql-parser
   * refuses many non-reserved keywords as bare names (status, comment, ...), so a bare word
   * is shown to it as z___ (same length); a truly reserved word is the user's error.
   */
  isReserved(word: string): boolean {
    return (this.dialect === 'mysql' ? MYSQL_80 : MARIADB_1011).has(word.toLowerCase());
  }

  identifier(i: number): string | undefined {
    const t = this.tokens[i];
    if (!t || (t.kind !== 'word' && t.kind !== 'ident')) return undefined;
    const problem = identifierProblem(t.value);
    if (problem !== undefined) this.syntax(i, problem);
    if (t.kind === 'word') {
      const reserved = this.dialect === 'mysql' ? MYSQL_80 : MARIADB_1011;
      if (reserved.has(t.value.toLowerCase())) {
        this.syntax(i, `'${t.value}' is a reserved word in ${this.dialect === 'mysql' ? 'MySQL 8.0' : 'MariaDB 10.11'}; quote it with backticks (\`${t.value}\`) or choose another name.`);
      } else {
        this.substitute(i, 'z_name');
      }
    }
    return t.value;
  }

  /**
   * The text of the string at i, for a place the server keeps as utf8mb3: comments (both
   * servers), and on MariaDB string defaults and ENUM/SET values. A character beyond U+FFFF
   * would be saved as '?', so the file could never match the server: refused here, like
   * what a server cannot store at all.
   */
  storedText(i: number, what: 'comment' | 'index comment' | 'table comment' | 'default' | 'value'): string {
    const value = this.tokens[i].value;
    const comment = what.endsWith('comment');
    // MariaDB 10.11 truncates a table comment at a NUL, and writes an index comment's NUL into its .frm file and then cannot open the table.
    if ((what === 'index comment' || what === 'table comment') && value.includes('\0')) {
      this.syntax(i, `${JSON.stringify(value)} contains a NUL character, which MariaDB cannot store in ${what === 'index comment' ? 'an index' : 'a table'} comment. Remove it.`);
    }
    if ((comment || this.dialect === 'mariadb') && /[\uD800-\uDFFF]/.test(value)) {
      const where = comment ? 'MySQL and MariaDB store comments' : what === 'default' ? 'MariaDB stores string defaults' : 'MariaDB stores ENUM and SET values';
      this.syntax(i, `${JSON.stringify(value)} contains a character beyond U+FFFF (such as an emoji); ${where} as utf8mb3 and would save it as '?'. Remove it.`);
    }
    return value;
  }

  range(fromToken: number, toTokenExclusive: number): SourceRange {
    const a = this.tokens[Math.min(fromToken, this.tokens.length - 1)];
    const b = this.tokens[Math.max(fromToken, Math.min(toTokenExclusive, this.tokens.length) - 1)];
    return this.lines.range(a.start, b.end);
  }

  ref(fromToken: number, toTokenExclusive: number): SourceRef {
    return { file: this.file, range: this.range(fromToken, toTokenExclusive) };
  }

  /** Hide tokens [from, to) from the grammar check. */
  blank(from: number, to: number): void {
    if (to <= from) return;
    this.blanks.push([from, to]);
  }

  /** Show the grammar check `text` instead of token i. */
  substitute(i: number, text: string): void {
    this.substitutions.set(i, text);
  }

  kw(i: number): string {
    const t = this.tokens[i];
    return t && t.kind === 'word' ? t.value.toUpperCase() : '';
  }

  isOp(i: number, op: string): boolean {
    const t = this.tokens[i];
    return !!t && t.kind === 'op' && t.value === op;
  }

  /** Identifier value at i (bare word or `quoted`), or undefined. */
  name(i: number): string | undefined {
    const t = this.tokens[i];
    return t && (t.kind === 'word' || t.kind === 'ident') ? t.value : undefined;
  }

  /**
   * Canonical text of the expression in tokens [from, to). When neither the precedence
   * parser nor node-sql-parser understands it, it is reported as the user's syntax error.
   */
  expression(from: number, to: number, columns: ReadonlySet<string>): string {
    if (this.quiet) return readExpression(this.tokens, from, to, columns, this.closeOf).text;
    if (to <= from) {
      this.syntax(Math.min(to, this.tokens.length - 1), 'expected an expression.');
      return '';
    }
    // A comma at the top level is never part of one expression (SELECT would read it as two).
    let depth = 0;
    for (let k = from; k < to; k++) {
      if (this.tokens[k].kind === 'bits' && !isBitsLiteral(this.tokens[k].value)) {
        this.syntax(k, `${this.tokens[k].value} is not a hex or bit literal: write x'' with pairs of hex digits, or b'' with 0s and 1s.`);
        return '';
      }
      const v = this.tokens[k].kind === 'op' ? this.tokens[k].value : '';
      if (v === '(') depth++;
      else if (v === ')') depth--;
      else if (v === ',' && depth === 0) {
        this.syntax(k, "unexpected ',' in this expression.");
        return '';
      }
    }
    const read = readExpression(this.tokens, from, to, columns, this.closeOf);
    if (read.reservedAt !== undefined && !this.fromServer) {
      this.syntax(read.reservedAt, `'${this.tokens[read.reservedAt].value}' is a reserved word and cannot stand for a value here; quote a column name with backticks.`);
    } else if (!read.understood && !this.fromServer) {
      const bad = expressionGrammarCheck(this.text, this.tokens[from].start, this.tokens[to - 1].end, this.dialect, this.grammarBudget);
      if (bad) {
        let at = this.tokens.findIndex((t) => t.end > bad.offset);
        if (at < 0 || at > to) at = Math.min(to, this.tokens.length - 1);
        const operand = bad.expected.includes('CASE') && bad.expected.includes('CAST');
        const shown = operand ? 'an expression' : bad.expected.length > 12 ? bad.expected.slice(0, 12).join(', ') + ', ...' : bad.expected.join(', ');
        this.syntax(at, `this expression does not parse: expected ${shown || 'something else'} but found '${this.tokens[at].value}'.`, bad.expected);
      }
    }
    return read.text;
  }

  /** Token index closing the parenthesis opened at `open` (before `limit`), or -1. */
  close(open: number, limit: number): number {
    this.matches ??= matchParens(this.tokens);
    const end = this.matches[open] ?? -1;
    return end >= 0 && end < limit ? end : -1;
  }

  /** Every parenthesis of the statement matched once (see matchParens). */
  private matches: Int32Array | undefined;
  private readonly closeOf = (open: number): number => this.close(open, this.tokens.length);

  /** Splits [from, to) at commas outside parentheses. */
  splitCommas(from: number, to: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let depth = 0;
    let start = from;
    for (let i = from; i < to; i++) {
      const t = this.tokens[i];
      if (t.kind !== 'op') continue;
      if (t.value === '(') depth++;
      else if (t.value === ')') depth--;
      else if (t.value === ',' && depth === 0) {
        out.push([start, i]);
        start = i + 1;
      }
    }
    out.push([start, to]);
    return out;
  }

  unsupported(from: number, to: number, code: string, what: string, effect: string): void {
    this.problems.push({
      file: this.file,
      range: this.range(from, to),
      kind: 'unsupported',
      code,
      severity: 'warning',
      message: `${what} is valid DDL, but schemabranch's parser cannot read it yet (a gap in schemabranch, not an error in your file): ${effect}`,
    });
  }

  syntax(at: number, message: string, expected?: string[]): void {
    const t = this.tokens[Math.min(at, this.tokens.length - 1)];
    const range = at < this.tokens.length ? this.lines.range(t.start, t.end) : this.lines.range(t.end, t.end);
    const pos = range.start;
    this.problems.push({
      file: this.file,
      range,
      kind: 'syntax',
      code: 'syntax-error',
      severity: 'error',
      message: `Syntax error at line ${pos.line + 1}, column ${pos.character + 1}: ${message}`,
      expected,
    });
  }
}
