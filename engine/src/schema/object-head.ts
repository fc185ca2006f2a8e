import { kw, isOp, type Token } from './lexer.js';
import type { SchemaObjectKind } from './model.js';

const KINDS: Record<string, SchemaObjectKind> = { VIEW: 'view', TRIGGER: 'trigger', PROCEDURE: 'procedure', FUNCTION: 'function', EVENT: 'event' };

/** Kinds whose body is a compound statement that may hold `;`. */
export const HAS_COMPOUND_BODY: ReadonlySet<SchemaObjectKind> = new Set(['trigger', 'procedure', 'function', 'event']);

export interface ObjectHead {
  kind: SchemaObjectKind;
  /** Index of the kind keyword (VIEW, TRIGGER, ...). */
  kindAt: number;
  /** Index of the first token after CREATE [OR REPLACE]. */
  clausesAt: number;
  /** DEFINER = ... as token indices [from, to), when written. */
  definer?: [number, number];
}

/**
 * Where `CREATE [OR REPLACE] [ALGORITHM = x] [DEFINER = account] [SQL SECURITY x] [AGGREGATE] KIND`
 * names its kind, or undefined for any other statement (CREATE TABLE included). Shared by the
 * splitter (to keep a trigger's `;` inside its body) and the object reader.
 */
export function objectHeadOf(tokens: readonly Token[]): ObjectHead | undefined {
  if (kw(tokens[0]) !== 'CREATE') return undefined;
  let i = 1;
  if (kw(tokens[1]) === 'OR' && kw(tokens[2]) === 'REPLACE') i = 3;
  const clausesAt = i;
  let definer: [number, number] | undefined;
  for (;;) {
    const w = kw(tokens[i]);
    if (w === 'ALGORITHM' && isOp(tokens[i + 1], '=')) i += 3;
    else if (w === 'DEFINER' && isOp(tokens[i + 1], '=')) {
      const end = accountEnd(tokens, i + 2);
      definer = [i, end];
      i = end;
    } else if (w === 'SQL' && kw(tokens[i + 1]) === 'SECURITY') i += 3;
    else if (w === 'AGGREGATE') i += 1;
    else break;
  }
  const kind = KINDS[kw(tokens[i])];
  return kind ? { kind, kindAt: i, clausesAt, definer } : undefined;
}

/** Just past an account: CURRENT_USER, CURRENT_USER(), user, user@host (each part a word, `ident` or 'string'). */
export function accountEnd(tokens: readonly Token[], at: number): number {
  let i = at;
  if (kw(tokens[i]) === 'CURRENT_USER') return isOp(tokens[i + 1], '(') && isOp(tokens[i + 2], ')') ? i + 3 : i + 1;
  if (tokens[i] && tokens[i].kind !== 'op') i++;
  // `root@localhost` lexes as word, '@', word; `'u'@'%'` as string, '@', string.
  if (isOp(tokens[i], '@') && tokens[i + 1] && tokens[i + 1].kind !== 'op') i += 2;
  return i;
}

