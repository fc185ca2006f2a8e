import { quoteString } from '../sql/quote.js';
import { isBitsLiteral, unwrapParens } from './expression.js';
import { isCharsetName } from './charsets.js';
import { isCallable } from './expression-tree.js';
import type { ReaderContext } from './reader-context.js';

const NOW_SYNONYMS = new Set(['CURRENT_TIMESTAMP', 'NOW', 'LOCALTIME', 'LOCALTIMESTAMP']);

/**
 * Reads the value after DEFAULT or ON UPDATE at token i (before `limit`). Returns the
 * canonical SQL text and the index after the value, or undefined when there is no value.
 * CURRENT_TIMESTAMP, NOW(), LOCALTIME... all become `current_timestamp()` (with the
 * precision when given); TRUE/FALSE become 1/0; strings are re-quoted.
 */
export function readValue(ctx: ReaderContext, i: number, limit: number, columns: ReadonlySet<string>): { text: string; next: number } | undefined {
  const t = ctx.tokens[i];
  if (!t || i >= limit) return undefined;
  if (t.kind === 'op' && t.value === '(') {
    const close = ctx.close(i, limit);
    if (close < 0) return undefined;
    const [a, b] = unwrapParens(ctx.tokens, i, close + 1);
    return { text: '(' + ctx.expression(a, b, columns) + ')', next: close + 1 };
  }
  if (t.kind === 'op' && (t.value === '-' || t.value === '+')) {
    const n = ctx.tokens[i + 1];
    if (n && i + 1 < limit && n.kind === 'number') return { text: (t.value === '-' ? '-' : '') + n.value, next: i + 2 };
    return undefined;
  }
  if (t.kind === 'string') return readStrings(ctx, i, limit);
  if (t.kind === 'number') return { text: t.value, next: i + 1 };
  if (t.kind === 'bits') return isBitsLiteral(t.value) ? { text: t.value.toLowerCase(), next: i + 1 } : undefined;
  if (t.kind !== 'word') return undefined;
  const upper = t.value.toUpperCase();
  const next = ctx.tokens[i + 1];
  if (isIntroducer(t.value) && next && next.kind === 'string' && i + 1 < limit) return readStrings(ctx, i + 1, limit);
  if (upper === 'NULL') return { text: 'NULL', next: i + 1 };
  if (upper === 'TRUE') return { text: '1', next: i + 1 };
  if (upper === 'FALSE') return { text: '0', next: i + 1 };
  const call = ctx.isOp(i + 1, '(') && i + 1 < limit ? ctx.close(i + 1, limit) : -1;
  if (NOW_SYNONYMS.has(upper)) {
    if (call < 0) return { text: 'current_timestamp()', next: i + 1 };
    const inner = ctx.tokens.slice(i + 2, call);
    if (inner.length > 1 || (inner.length === 1 && inner[0].kind !== 'number')) return undefined;
    const precision = inner.length === 1 ? inner[0].value : '';
    return { text: `current_timestamp(${precision})`, next: call + 1 };
  }
  if (call >= 0) return isCallable(t.value) ? { text: ctx.expression(i, call + 1, columns), next: call + 1 } : undefined;
  // Without parentheses only these keywords are values; anything else (KEY, UNSIGNED...) is a mistake.
  if (BARE_VALUES.has(upper)) return { text: t.value.toLowerCase(), next: i + 1 };
  return undefined;
}

const BARE_VALUES = new Set(['CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_USER', 'CURRENT_ROLE', 'UTC_DATE', 'UTC_TIME', 'UTC_TIMESTAMP', 'SYSDATE']);

/** `_utf8mb4'x'`: an underscore and a character set name. */
export function isIntroducer(word: string): boolean {
  return word.startsWith('_') && isCharsetName(word.slice(1));
}

/** 'a' 'b' (adjacent literals concatenate in MySQL) as one quoted string. */
function readStrings(ctx: ReaderContext, i: number, limit: number): { text: string; next: number } {
  let value = '';
  let j = i;
  while (j < limit && ctx.tokens[j].kind === 'string') value += ctx.quiet ? ctx.tokens[j++].value : ctx.storedText(j++, 'default');
  return { text: quoteString(value), next: j };
}
