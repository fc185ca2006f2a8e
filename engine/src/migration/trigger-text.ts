/**
 * A trigger's CREATE statement pointed at another table: the cut-over creates
 * the user's triggers on the shadow (which the RENAME then gives the user's
 * name), the revert on the table set aside, and the preflight on a scratch
 * copy. Only the trigger's name and its ON table are rewritten (through
 * quoteQualified); everything else, the body above all, is sent as the server
 * printed it. Pure: tested as exact strings.
 */
import { isOp, kw, tokenize, type Token } from '../schema/lexer.js';
import { objectHeadOf } from '../schema/object-head.js';
import { quoteQualified } from '../sql/quote.js';

interface TriggerParts {
  /** [start, end) of the trigger's (possibly qualified) name, and of its table after ON. */
  name: [number, number];
  table: [number, number];
  /** BEFORE/AFTER and INSERT/UPDATE/DELETE, upper case. */
  timing: string;
  event: string;
  /** Where the body starts: what information_schema.TRIGGERS.ACTION_STATEMENT holds. */
  bodyAt: number;
}

// A name may be a bare word, a `quoted` one, or "quoted" under ANSI_QUOTES (which the lexer reads as a string).
const isName = (t: Token | undefined): boolean => !!t && (t.kind === 'word' || t.kind === 'ident' || t.kind === 'string');

/** Index just past a name at `i` (`name` or `db`.`name`), or -1. */
function nameEnd(tokens: readonly Token[], i: number): number {
  if (!isName(tokens[i])) return -1;
  return isOp(tokens[i + 1], '.') && isName(tokens[i + 2]) ? i + 3 : i + 1;
}

function partsOf(statement: string): TriggerParts {
  const tokens = tokenize(statement).tokens;
  const head = objectHeadOf(tokens);
  const fail = (): never => {
    throw new Error(`schemabranch could not read this trigger's statement as the server printed it: ${statement.slice(0, 200)}. Please report it with the output of SHOW CREATE TRIGGER.`);
  };
  if (head?.kind !== 'trigger') return fail();
  const nameAt = head.kindAt + 1;
  const afterName = nameEnd(tokens, nameAt);
  if (afterName < 0 || kw(tokens[afterName + 2]) !== 'ON') return fail();
  const tableAt = afterName + 3;
  const afterTable = nameEnd(tokens, tableAt);
  if (afterTable < 0 || kw(tokens[afterTable]) !== 'FOR' || kw(tokens[afterTable + 2]) !== 'ROW') return fail();
  let body = afterTable + 3;
  if (kw(tokens[body]) === 'FOLLOWS' || kw(tokens[body]) === 'PRECEDES') body = nameEnd(tokens, body + 1);
  if (body < 0 || !tokens[body]) return fail();
  return { timing: kw(tokens[afterName]), event: kw(tokens[afterName + 1]), name: [tokens[nameAt]!.start, tokens[afterName - 1]!.end], table: [tokens[tableAt]!.start, tokens[afterTable - 1]!.end], bodyAt: tokens[body]!.start };
}

/** `statement` creating the trigger in `db` on `db`.`table`, the rest as written. */
export function triggerOnTable(statement: string, db: string, name: string, table: string): string {
  const p = partsOf(statement);
  return statement.slice(0, p.name[0]) + quoteQualified(db, name) + statement.slice(p.name[1], p.table[0]) + quoteQualified(db, table) + statement.slice(p.table[1]);
}

/** Timing, event and body, as information_schema.TRIGGERS shows them: what tells one definition of a trigger from another. */
export function triggerSignature(statement: string): string {
  const p = partsOf(statement);
  return liveTriggerSignature(p.timing, p.event, statement.slice(p.bodyAt));
}

export function liveTriggerSignature(timing: string, event: string, body: string): string {
  return `${timing.toUpperCase()} ${event.toUpperCase()} ${body.trim()}`;
}
