import { quoteString } from '../sql/quote.js';
import type { Token } from './lexer.js';
import { matchParens } from './nesting.js';

/**
 * Canonical SQL text for an expression (CHECK, generated column, DEFAULT (...)), so that
 * what the user wrote and what SHOW CREATE TABLE prints compare equal: identifiers that
 * name a column in backticks, keywords and function names lower-case, strings re-quoted,
 * one space between tokens except around ( ) , . and after unary operators. This is the
 * layout MariaDB's Item::print uses.
 */
export function canonicalExpression(tokens: Token[], from: number, to: number, columns: ReadonlySet<string>): string {
  let out = '';
  let prev: Token | undefined;
  let prevUnary = false;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    const next = i + 1 < to ? tokens[i + 1] : undefined;
    let piece: string;
    let unary = false;
    switch (t.kind) {
      case 'word': {
        const lower = t.value.toLowerCase();
        // A charset introducer (_utf8mb4'x') adds nothing to compare; MySQL prints them, MariaDB does not.
        if (lower.startsWith('_') && lower !== '_binary' && next && next.kind === 'string') continue;
        if (next && next.kind === 'op' && next.value === '(' ) piece = lower;
        else if (columns.has(lower) && !(next && next.kind === 'string' && lower.startsWith('_'))) piece = '`' + t.value + '`';
        else piece = lower;
        break;
      }
      case 'ident':
        piece = '`' + t.value.replace(/`/g, '``') + '`';
        break;
      case 'string':
        piece = quoteString(t.value);
        break;
      case 'bits':
        piece = t.value.toLowerCase();
        break;
      default:
        piece = t.value;
        if ((t.value === '-' || t.value === '+' || t.value === '~' || t.value === '!') && isUnaryPosition(prev)) unary = true;
    }
    out += separator(prev, t, prevUnary) + piece;
    prev = t;
    prevUnary = unary;
  }
  return out;
}

function isUnaryPosition(prev: Token | undefined): boolean {
  if (!prev) return true;
  if (prev.kind === 'op') return prev.value !== ')';
  if (prev.kind === 'word') return /^(and|or|not|xor|is|in|like|between|when|then|else|case|return|div|mod|regexp|rlike|interval)$/i.test(prev.value);
  return false;
}

function separator(prev: Token | undefined, t: Token, prevUnary: boolean): string {
  if (!prev) return '';
  // `- -1`, never `--1`: two dashes are one step from a comment.
  if (prevUnary) return t.kind === 'op' && t.value === prev.value ? ' ' : '';
  if (t.kind === 'op' && (t.value === ')' || t.value === ',' || t.value === '.')) return '';
  // MariaDB and MySQL print argument lists without a space after the comma: concat(`a`,'b').
  if (prev.kind === 'op' && (prev.value === '(' || prev.value === '.' || prev.value === ',')) return '';
  // Function call: name(args) without a space; an introducer glued to its string: _utf8mb4'x'.
  if (t.kind === 'op' && t.value === '(' && (prev.kind === 'word' || prev.kind === 'ident')) return '';
  if (t.kind === 'string' && prev.kind === 'word' && prev.value.startsWith('_')) return '';
  return ' ';
}

/**
 * Strips every pair of parentheses that wraps the whole token range: ((a + b)) -> a + b,
 * but (a) + (b) stays. Linear: the pairs are matched once, not rescanned per level.
 */
export function unwrapParens(tokens: Token[], from: number, to: number): [number, number] {
  if (to - from < 2 || !isParen(tokens[from], '(') || !isParen(tokens[to - 1], ')')) return [from, to];
  const base = from;
  const match = matchParens(tokens, from, to);
  while (to - from >= 2 && match[from - base] === to - 1) {
    from++;
    to--;
  }
  return [from, to];
}

function isParen(t: Token, p: '(' | ')'): boolean {
  return t.kind === 'op' && t.value === p;
}

/** Whether a `bits` token is a well-formed hex or bit literal (x'1f', b'01', 0x1f, 0b01); the lexer takes anything up to the quote. */
export function isBitsLiteral(value: string): boolean {
  return /^(?:x'(?:[0-9a-f]{2})*'|b'[01]*'|0x[0-9a-f]+|0b[01]+)$/i.test(value);
}
