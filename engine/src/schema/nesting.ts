import type { Token } from './lexer.js';

/**
 * How deep parentheses, CASE ... END and runs of prefix operators (- - -x, NOT NOT x) may
 * nest in one statement. Real DDL stays under twenty; past a few hundred, recursive
 * readers (ours, node-sql-parser's PEG grammar, the server's own) run out of stack:
 * node-sql-parser fails near 700 parentheses and MariaDB 10.11 near 1,000 nested calls.
 * A deeper statement is refused with a problem where it goes too deep, before anything
 * recursive reads it.
 */
export const MAX_NESTING = 256;

const PREFIX_OPS = new Set(['-', '+', '~', '!']);

/** Index of the token that goes past MAX_NESTING levels, or -1. One pass. */
export function tooDeepAt(tokens: Token[], max = MAX_NESTING): number {
  let depth = 0;
  let prefixRun = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const word = t.kind === 'word' && t.value.length <= 6 ? t.value.toUpperCase() : '';
    if (t.kind === 'op' ? PREFIX_OPS.has(t.value) : word === 'NOT' || word === 'BINARY') {
      if (depth + ++prefixRun > max) return i;
      continue;
    }
    prefixRun = 0;
    if (t.kind === 'op' ? t.value === '(' : word === 'CASE') {
      if (++depth > max) return i;
    } else if ((t.kind === 'op' ? t.value === ')' : word === 'END') && depth > 0) depth--;
  }
  return -1;
}

/**
 * Closing parentheses of tokens [from, to): `match[i - from]` is the index of the `)`
 * that closes the `(` at token i, or -1 (not a `(`, or never closed before `to`). One
 * pass, so finding a closing parenthesis is O(1) however deep the nesting: scanning for
 * it again at every level made nested input quadratic.
 */
export function matchParens(tokens: Token[], from = 0, to = tokens.length): Int32Array {
  const match = new Int32Array(Math.max(0, to - from)).fill(-1);
  const open: number[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.kind !== 'op') continue;
    if (t.value === '(') open.push(i);
    else if (t.value === ')' && open.length > 0) match[(open.pop() as number) - from] = i;
  }
  return match;
}
