import { quoteString } from '../sql/quote.js';
import { canonicalExpression } from './expression.js';
import type { Token } from './lexer.js';
import { matchParens } from './nesting.js';
import { MARIADB_1011, MYSQL_80 } from '../lint/reserved-words.js';
import { knownWord } from '../sql/words.js';

/**
 * Canonical text for an expression via a small precedence parser: parentheses only where
 * precedence needs them, operator synonyms folded (% -> mod, && -> and, != -> <>), so
 * `(qty % 2) = 0` (a file), `qty mod 2 = 0` (MariaDB's SHOW CREATE) and
 * `((qty % 2) = 0)` (MySQL's) print the same. Falls back to token-level canonical text for
 * anything it does not know.
 */
export function printExpression(tokens: Token[], from: number, to: number, columns: ReadonlySet<string>): string {
  return readExpression(tokens, from, to, columns).text;
}

/** Like printExpression, and says whether the precedence parser understood the expression. */
export function readExpression(tokens: Token[], from: number, to: number, columns: ReadonlySet<string>, closeOf?: CloseOf): { text: string; understood: boolean; reservedAt?: number } {
  const p = new ExpressionParser(tokens, from, to, columns, closeOf ?? closerOf(tokens, from, to));
  try {
    const node = p.expression(0);
    if (p.i !== to) throw new NotUnderstood();
    // print() recurses along the tree; a long chain (a+a+...+a) is printed token by token instead.
    if (deeperThan(node, MAX_PRINT_DEPTH)) throw new NotUnderstood();
    return { text: print(node, 0, false), understood: p.fallbacks === 0 };
  } catch {
    // NotUnderstood, or a RangeError from absurd nesting: the token-level text is still canonical.
    return { text: canonicalExpression(tokens, from, to, columns), understood: false, reservedAt: p.reservedAt };
  }
}

class NotUnderstood extends Error {}

/** The token index of the `)` closing the `(` at `open`, or -1. */
export type CloseOf = (open: number) => number;

function closerOf(tokens: Token[], from: number, to: number): CloseOf {
  const match = matchParens(tokens, from, to);
  return (open) => (open >= from && open < to ? match[open - from] : -1);
}

/** Far below the stack's limit, far above any expression a person writes. */
const MAX_PRINT_DEPTH = 1000;

/** Whether the tree is deeper than `limit`, measured without recursion. */
function deeperThan(root: Node, limit: number): boolean {
  const stack: Array<[Node, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop() as [Node, number];
    if (d > limit) return true;
    if (n.k === 'unary') stack.push([n.e, d + 1]);
    else if (n.k === 'bin') stack.push([n.l, d + 1], [n.r, d + 1]);
    else if (n.k === 'in') stack.push([n.e, d + 1], ...n.list.map((x): [Node, number] => [x, d + 1]));
    else if (n.k === 'between') stack.push([n.e, d + 1], [n.lo, d + 1], [n.hi, d + 1]);
  }
  return false;
}

type Node =
  | { k: 'atom'; text: string }
  | { k: 'call'; name: string; args: string[] }
  | { k: 'unary'; op: string; e: Node; prec: number }
  | { k: 'bin'; op: string; l: Node; r: Node; prec: number }
  | { k: 'in'; e: Node; not: boolean; list: Node[] }
  | { k: 'between'; e: Node; not: boolean; lo: Node; hi: Node };

const BINARY: Record<string, [string, number]> = {
  OR: ['or', 1], '||': ['or', 1], XOR: ['xor', 2], AND: ['and', 3], '&&': ['and', 3],
  '=': ['=', 6], '<=>': ['<=>', 6], '>=': ['>=', 6], '>': ['>', 6], '<=': ['<=', 6], '<': ['<', 6], '<>': ['<>', 6], '!=': ['<>', 6],
  '|': ['|', 7], '&': ['&', 8], '<<': ['<<', 9], '>>': ['>>', 9], '+': ['+', 10], '-': ['-', 10],
  '*': ['*', 11], '/': ['/', 11], DIV: ['div', 11], '%': ['mod', 11], MOD: ['mod', 11], '^': ['^', 12],
};
const COMPARISON = 6;
const FUNCTION_NAMES: Record<string, string> = { now: 'current_timestamp', localtime: 'current_timestamp', localtimestamp: 'current_timestamp', current_date: 'curdate', current_time: 'curtime' };
const BARE_FUNCTIONS: Record<string, string> = { CURRENT_TIMESTAMP: 'current_timestamp()', LOCALTIME: 'current_timestamp()', LOCALTIMESTAMP: 'current_timestamp()', CURRENT_DATE: 'curdate()', CURRENT_TIME: 'curtime()', CURRENT_USER: 'current_user()' };

/** Reserved words that are also built-in function names: `IF(...)` is a call, `COMMENT(...)` is a mistake. */
const RESERVED_FUNCTIONS = new Set(['IF', 'LEFT', 'RIGHT', 'REPLACE', 'INSERT', 'CHAR', 'DATABASE', 'SCHEMA', 'MOD', 'REPEAT', 'CONVERT', 'VALUES', 'MATCH', 'DEFAULT', 'EXISTS', 'INTERVAL', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'CURRENT_USER', 'CURRENT_ROLE', 'LOCALTIME', 'LOCALTIMESTAMP', 'UTC_DATE', 'UTC_TIME', 'UTC_TIMESTAMP', 'ROW_NUMBER', 'USER', 'TRUNCATE', 'IN', 'COALESCE', 'CAST', 'BINARY', 'NOT']);

/** Whether `word(` can be a function call (not a reserved word like ON or CHECK). */
export function isCallable(word: string): boolean {
  const upper = word.toUpperCase();
  return RESERVED_FUNCTIONS.has(upper) || !(MARIADB_1011.has(word.toLowerCase()) || MYSQL_80.has(word.toLowerCase()));
}

class ExpressionParser {
  i: number;
  /** Arguments only the token-level printer could handle (CAST(x AS CHAR)...): the grammar check then looks at the whole expression. */
  fallbacks = 0;
  /** Token index of a reserved word used as a value at the top level (not inside a function's arguments). */
  reservedAt: number | undefined;

  constructor(
    private readonly t: Token[],
    from: number,
    private readonly to: number,
    private readonly columns: ReadonlySet<string>,
    private readonly closeOf: CloseOf,
  ) {
    this.i = from;
  }

  private kw(at = this.i): string {
    const tok = at < this.to ? this.t[at] : undefined;
    return tok && tok.kind === 'word' ? tok.value.toUpperCase() : '';
  }

  private op(at = this.i): string {
    const tok = at < this.to ? this.t[at] : undefined;
    return tok && tok.kind === 'op' ? tok.value : '';
  }

  expression(minPrec: number): Node {
    let left = this.prefix();
    for (;;) {
      const negated = this.kw() === 'NOT' && /^(IN|BETWEEN|LIKE|REGEXP|RLIKE)$/.test(this.kw(this.i + 1));
      const word = negated ? this.kw(this.i + 1) : this.kw();
      if (word === 'IS' && COMPARISON >= minPrec) {
        this.i++;
        let text = 'is';
        if (this.kw() === 'NOT') text += ' not', this.i++;
        const what = this.kw();
        if (!/^(NULL|TRUE|FALSE|UNKNOWN)$/.test(what)) throw new NotUnderstood();
        this.i++;
        left = { k: 'bin', op: text, l: left, r: { k: 'atom', text: what.toLowerCase() }, prec: COMPARISON };
        continue;
      }
      if ((word === 'IN' || word === 'BETWEEN' || word === 'LIKE' || word === 'REGEXP' || word === 'RLIKE') && (word === 'BETWEEN' ? 5 : COMPARISON) >= minPrec) {
        this.i += negated ? 2 : 1;
        if (word === 'IN') {
          if (this.op() !== '(') throw new NotUnderstood();
          this.i++;
          const list: Node[] = [this.expression(0)];
          while (this.op() === ',') this.i++, list.push(this.expression(0));
          if (this.op() !== ')') throw new NotUnderstood();
          this.i++;
          left = { k: 'in', e: left, not: negated, list };
        } else if (word === 'BETWEEN') {
          const lo = this.expression(7);
          if (this.kw() !== 'AND') throw new NotUnderstood();
          this.i++;
          left = { k: 'between', e: left, not: negated, lo, hi: this.expression(7) };
        } else {
          const op = (negated ? 'not ' : '') + (word === 'RLIKE' ? 'regexp' : word.toLowerCase());
          let r = this.expression(COMPARISON + 1);
          if (word === 'LIKE' && this.kw() === 'ESCAPE') {
            this.i++;
            r = { k: 'bin', op: 'escape', l: r, r: this.expression(COMPARISON + 1), prec: COMPARISON };
          }
          left = { k: 'bin', op, l: left, r, prec: COMPARISON };
        }
        continue;
      }
      if (word === 'COLLATE') {
        this.i++;
        const name = this.t[this.i];
        if (!name || this.i >= this.to) throw new NotUnderstood();
        // A collation is a closed-list word, however it was quoted; anything else goes to the token-level printer and the grammar check.
        const collation = name.kind === 'word' || name.kind === 'ident' || name.kind === 'string' ? knownWord('collation', name.value) : undefined;
        if (collation === undefined) throw new NotUnderstood();
        this.i++;
        left = { k: 'bin', op: 'collate', l: left, r: { k: 'atom', text: collation }, prec: 15 };
        continue;
      }
      const key = this.op() || this.kw();
      const bin = BINARY[key];
      if (!bin || bin[1] < minPrec) return left;
      this.i++;
      const r = this.expression(bin[1] + 1);
      left = { k: 'bin', op: bin[0], l: left, r, prec: bin[1] };
    }
  }

  private prefix(): Node {
    if (this.i >= this.to) throw new NotUnderstood();
    const tok = this.t[this.i];
    const op = this.op();
    if (op === '(') {
      this.i++;
      const inner = this.expression(0);
      if (this.op() !== ')') throw new NotUnderstood();
      this.i++;
      return inner;
    }
    if (op === '-' || op === '+' || op === '~' || op === '!') {
      this.i++;
      const e = this.expression(op === '!' ? 14 : 13);
      if (op === '+') return e;
      if (op === '-' && e.k === 'atom' && /^[\d.]/.test(e.text)) return { k: 'atom', text: '-' + e.text };
      return { k: 'unary', op, e, prec: op === '!' ? 14 : 13 };
    }
    if (tok.kind === 'string') return this.strings();
    if (tok.kind === 'number' || tok.kind === 'bits') {
      this.i++;
      return { k: 'atom', text: tok.kind === 'bits' ? tok.value.toLowerCase() : tok.value };
    }
    if (tok.kind === 'ident' || tok.kind === 'word') {
      const upper = tok.kind === 'word' ? tok.value.toUpperCase() : '';
      if (upper === 'NOT') {
        this.i++;
        return negate(this.expression(5));
      }
      if (upper === 'BINARY' && this.op(this.i + 1) !== '(') {
        this.i++;
        return { k: 'unary', op: 'binary', e: this.expression(15), prec: 15 };
      }
      if (upper.startsWith('_') && this.t[this.i + 1]?.kind === 'string' && this.i + 1 < this.to) {
        this.i++;
        return this.strings();
      }
      if (this.op(this.i + 1) === '(') {
        if (tok.kind === 'word' && !isCallable(upper)) throw new NotUnderstood();
        return this.call();
      }
      if (upper === 'CASE') return this.caseExpression();
      if (upper === 'INTERVAL') {
        this.i++;
        const amount = this.prefix();
        const unit = this.kw();
        if (!unit) throw new NotUnderstood();
        this.i++;
        return { k: 'atom', text: `interval ${print(amount, 100, false)} ${unit.toLowerCase()}` };
      }
      if (upper === 'EXISTS' || upper === 'SELECT') throw new NotUnderstood();
      // MariaDB prints TRUE and FALSE as 1 and 0.
      if (upper === 'TRUE' || upper === 'FALSE') {
        this.i++;
        return { k: 'atom', text: upper === 'TRUE' ? '1' : '0' };
      }
      this.i++;
      // Qualified names: the column is the last part.
      let name = tok.value;
      let quoted = tok.kind === 'ident';
      while (this.op() === '.' && this.t[this.i + 1] && (this.t[this.i + 1].kind === 'ident' || this.t[this.i + 1].kind === 'word')) {
        name = this.t[this.i + 1].value;
        quoted = true;
        this.i += 2;
      }
      if (!quoted && upper in BARE_FUNCTIONS) return { k: 'atom', text: BARE_FUNCTIONS[upper] };
      // A reserved word where a value belongs (a >= DEFAULT): remembered, so the caller can report it.
      if (!quoted && !this.columns.has(name.toLowerCase()) && !/^(NULL|TRUE|FALSE|UNKNOWN)$/.test(upper) && (MARIADB_1011.has(name.toLowerCase()) || MYSQL_80.has(name.toLowerCase()))) {
        this.reservedAt ??= this.i - 1;
        throw new NotUnderstood();
      }
      if (quoted || this.columns.has(name.toLowerCase())) return { k: 'atom', text: '`' + name.replace(/`/g, '``') + '`' };
      return { k: 'atom', text: name.toLowerCase() };
    }
    throw new NotUnderstood();
  }

  /** CASE [operand] WHEN x THEN y ... [ELSE z] END, printed as one atom. */
  private caseExpression(): Node {
    this.i++;
    let text = 'case';
    if (this.kw() !== 'WHEN') text += ' ' + print(this.expression(0), 0, false);
    while (this.kw() === 'WHEN') {
      this.i++;
      text += ' when ' + print(this.expression(0), 0, false);
      if (this.kw() !== 'THEN') throw new NotUnderstood();
      this.i++;
      text += ' then ' + print(this.expression(0), 0, false);
    }
    if (this.kw() === 'ELSE') {
      this.i++;
      text += ' else ' + print(this.expression(0), 0, false);
    }
    if (this.kw() !== 'END') throw new NotUnderstood();
    this.i++;
    return { k: 'atom', text: text + ' end' };
  }

  private strings(): Node {
    let value = '';
    while (this.i < this.to && this.t[this.i].kind === 'string') value += this.t[this.i++].value;
    return { k: 'atom', text: quoteString(value) };
  }

  private call(): Node {
    const tok = this.t[this.i];
    const raw = tok.value.toLowerCase();
    // `name`(...) calls a stored function by that name: it stays an identifier.
    const name = tok.kind === 'ident' ? '`' + tok.value.replace(/`/g, '``') + '`' : FUNCTION_NAMES[raw] ?? raw;
    const open = this.i + 1;
    const close = this.closeOf(open);
    if (close < 0 || close >= this.to) throw new NotUnderstood();
    // Commas of this call only: nested parentheses are jumped over, so nested calls stay linear.
    const commas: number[] = [];
    for (let j = open + 1; j < close; j++) {
      const v = this.op(j);
      if (v === '(') {
        j = this.closeOf(j);
        if (j < 0) throw new NotUnderstood();
      } else if (v === ',') commas.push(j);
    }
    const args: string[] = [];
    if (close > open + 1) {
      let start = open + 1;
      for (const end of [...commas, close]) {
        // An argument with keywords inside (CAST(x AS CHAR), TRIM(LEADING ...)) keeps its token text.
        const arg = readExpression(this.t, start, end, this.columns, this.closeOf);
        if (!arg.understood || start === end) this.fallbacks++;
        args.push(arg.text);
        start = end + 1;
      }
    }
    this.i = close + 1;
    return { k: 'call', name, args };
  }
}

const INVERSE: Record<string, string> = { '=': '<>', '<>': '=', '<': '>=', '>=': '<', '>': '<=', '<=': '>', like: 'not like', 'not like': 'like', regexp: 'not regexp', 'not regexp': 'regexp' };

/** NOT (a = b) is printed by MariaDB as a <> b (and likewise for < > <= >=): fold it the same way. */
function negate(e: Node): Node {
  if (e.k === 'bin' && INVERSE[e.op]) return { ...e, op: INVERSE[e.op] };
  if (e.k === 'in' || e.k === 'between') return { ...e, not: !e.not };
  return { k: 'unary', op: 'not', e, prec: 4 };
}

function print(n: Node, parentPrec: number, rightSide: boolean): string {
  switch (n.k) {
    case 'atom':
      return n.text;
    case 'call':
      return `${n.name}(${n.args.join(',')})`;
    case 'unary': {
      const inner = print(n.e, n.op === 'not' || n.op === 'binary' ? n.prec + 1 : n.prec, false);
      // `- -x`, never `--x`: two dashes are one step from a comment.
      const s = n.op === 'not' || n.op === 'binary' || inner.startsWith(n.op) ? `${n.op} ${inner}` : `${n.op}${inner}`;
      return n.prec < parentPrec ? `(${s})` : s;
    }
    case 'bin': {
      const s = `${print(n.l, n.prec, false)} ${n.op} ${print(n.r, n.prec, true)}`;
      return n.prec < parentPrec || (n.prec === parentPrec && (rightSide || n.prec === COMPARISON)) ? `(${s})` : s;
    }
    case 'in': {
      const s = `${print(n.e, COMPARISON + 1, false)} ${n.not ? 'not in' : 'in'} (${n.list.map((x) => print(x, 0, false)).join(',')})`;
      return COMPARISON < parentPrec ? `(${s})` : s;
    }
    case 'between': {
      const s = `${print(n.e, 7, false)} ${n.not ? 'not between' : 'between'} ${print(n.lo, 7, false)} and ${print(n.hi, 7, false)}`;
      return 5 < parentPrec ? `(${s})` : s;
    }
  }
}
