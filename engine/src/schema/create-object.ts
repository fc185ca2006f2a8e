/**
 * Reads the header of CREATE VIEW / TRIGGER / PROCEDURE / FUNCTION / EVENT into the model;
 * the body after the name is kept as text (the server is the judge of it: see
 * db/object-probe.ts). Problems in the header are reported at the token.
 */
import type { SchemaObject, TriggerHead } from './model.js';
import type { ObjectHead } from './object-head.js';
import type { ReaderContext } from './reader-context.js';
import { scheduleTimes } from './object-text.js';
import { serverDependentComment, tokenize } from './lexer.js';

const KIND_WORD: Record<SchemaObject['kind'], string> = { view: 'VIEW', trigger: 'TRIGGER', procedure: 'PROCEDURE', function: 'FUNCTION', event: 'EVENT' };

export function readCreateObject(ctx: ReaderContext, head: ObjectHead, nolint: string[]): SchemaObject | undefined {
  const n = ctx.tokens.length;
  if (!clausesFit(ctx, head)) return undefined;
  let i = head.kindAt + 1;
  if (ctx.kw(i) === 'IF' && ctx.kw(i + 1) === 'NOT' && ctx.kw(i + 2) === 'EXISTS') i += 3;
  let nameAt = i;
  if (ctx.name(i) === undefined) {
    ctx.syntax(i, `expected a ${head.kind} name after ${KIND_WORD[head.kind]}.`);
    return undefined;
  }
  if (ctx.isOp(i + 1, '.') && ctx.name(i + 2) !== undefined) {
    warn(ctx, i, i + 3, 'qualified-object-name', `Write the ${head.kind} name without a database: a branch decides which database it lives in.`);
    nameAt = i + 2;
  }
  const name = ctx.identifier(nameAt)!;
  const bodyAt = nameAt + 1;
  if (bodyAt >= n) {
    ctx.syntax(n, `expected the ${head.kind}'s definition after its name.`);
    return undefined;
  }
  const object: SchemaObject = {
    kind: head.kind,
    name,
    clauses: joinTokens(ctx, head.clausesAt, head.kindAt, head.definer),
    body: ctx.text.slice(ctx.tokens[bodyAt].start, ctx.tokens[n - 1].end),
    nolint,
    source: ctx.ref(0, n),
    nameSource: ctx.ref(nameAt, nameAt + 1),
  };
  if (!bodyCommentsFit(ctx, bodyAt)) return undefined;
  const definer = head.definer && readDefiner(ctx, head.definer);
  if (definer === null) return undefined;
  if (definer) object.definer = definer;
  const ok = head.kind === 'view' ? viewBodyFits(ctx, bodyAt) : head.kind === 'trigger' ? readTrigger(ctx, bodyAt, object) : head.kind === 'event' ? eventBodyFits(ctx, bodyAt) : routineBodyFits(ctx, bodyAt, head.kind === 'function');
  if (ok && head.kind === 'event') {
    const schedule: NonNullable<SchemaObject['schedule']> = {};
    for (const [key, time] of Object.entries(scheduleTimes(ctx.tokens, bodyAt))) if (time.literal !== undefined) schedule[key as keyof typeof schedule] = time.literal;
    if (Object.keys(schedule).length > 0) object.schedule = schedule;
  }
  return ok ? object : undefined;
}

/** The tokens [from, to) as written, one space apart except around `=` (as the server prints ALGORITHM=MERGE), without `skip`. */
function joinTokens(ctx: ReaderContext, from: number, to: number, skip?: [number, number]): string {
  let out = '';
  let glue = true;
  for (let k = from; k < to; k++) {
    if (skip && k >= skip[0] && k < skip[1]) continue;
    const equals = ctx.isOp(k, '=');
    out += (glue || equals ? '' : ' ') + ctx.text.slice(ctx.tokens[k].start, ctx.tokens[k].end);
    glue = equals;
  }
  return out;
}

function clausesFit(ctx: ReaderContext, head: ObjectHead): boolean {
  for (let k = head.clausesAt; k < head.kindAt; k++) {
    const w = ctx.kw(k);
    const viewOnly = w === 'ALGORITHM' || w === 'SQL';
    if (viewOnly && head.kind !== 'view') return syntaxFalse(ctx, k, `${w === 'SQL' ? 'SQL SECURITY' : w} before the kind keyword belongs to CREATE VIEW; a ${head.kind} declares it after its name.`);
    if (w === 'AGGREGATE' && head.kind !== 'function') return syntaxFalse(ctx, k, 'AGGREGATE belongs to CREATE FUNCTION.');
    if (w === 'ALGORITHM' && !['UNDEFINED', 'MERGE', 'TEMPTABLE'].includes(ctx.kw(k + 2))) return syntaxFalse(ctx, k + 2, 'expected UNDEFINED, MERGE or TEMPTABLE after ALGORITHM =.', ['UNDEFINED', 'MERGE', 'TEMPTABLE']);
    if (w === 'SQL' && !['DEFINER', 'INVOKER'].includes(ctx.kw(k + 2))) return syntaxFalse(ctx, k + 2, 'expected DEFINER or INVOKER after SQL SECURITY.', ['DEFINER', 'INVOKER']);
    if (w === 'ALGORITHM' || w === 'SQL') k += 2;
  }
  return true;
}

/** `null` when the account is malformed (reported), undefined for CURRENT_USER. */
function readDefiner(ctx: ReaderContext, [from, to]: [number, number]): SchemaObject['definer'] | null {
  const at = from + 2;
  if (to <= at) {
    ctx.syntax(at, "expected an account after DEFINER =, such as 'app'@'%' or CURRENT_USER.", ['CURRENT_USER']);
    return null;
  }
  if (ctx.kw(at) === 'CURRENT_USER') return undefined;
  return { user: ctx.tokens[at].value, host: to > at + 1 ? ctx.tokens[at + 2].value : '%' };
}

function viewBodyFits(ctx: ReaderContext, at: number): boolean {
  let i = at;
  if (ctx.isOp(i, '(')) {
    const close = ctx.close(i, ctx.tokens.length);
    if (close < 0) return syntaxFalse(ctx, i, "the view's column list is never closed with ')'.", [')']);
    i = close + 1;
  }
  if (ctx.kw(i) !== 'AS') return syntaxFalse(ctx, i, "expected AS and the view's SELECT after the view name.", ['AS']);
  if (i + 1 >= ctx.tokens.length) return syntaxFalse(ctx, i + 1, 'expected a SELECT after AS.', ['SELECT']);
  return true;
}

function readTrigger(ctx: ReaderContext, at: number, object: SchemaObject): boolean {
  const timing = ctx.kw(at);
  if (timing !== 'BEFORE' && timing !== 'AFTER') return syntaxFalse(ctx, at, 'expected BEFORE or AFTER after the trigger name.', ['BEFORE', 'AFTER']);
  const event = ctx.kw(at + 1);
  if (event !== 'INSERT' && event !== 'UPDATE' && event !== 'DELETE') return syntaxFalse(ctx, at + 1, `expected INSERT, UPDATE or DELETE after ${timing}.`, ['INSERT', 'UPDATE', 'DELETE']);
  if (ctx.kw(at + 2) !== 'ON') return syntaxFalse(ctx, at + 2, `expected ON and the table after ${timing} ${event}.`, ['ON']);
  let tableAt = at + 3;
  if (ctx.name(tableAt) === undefined) return syntaxFalse(ctx, tableAt, 'expected the table the trigger fires on after ON.');
  if (ctx.isOp(tableAt + 1, '.') && ctx.name(tableAt + 2) !== undefined) tableAt += 2;
  const table = ctx.identifier(tableAt)!;
  let i = tableAt + 1;
  if (ctx.kw(i) !== 'FOR' || ctx.kw(i + 1) !== 'EACH' || ctx.kw(i + 2) !== 'ROW') return syntaxFalse(ctx, i, 'expected FOR EACH ROW after the table name.', ['FOR']);
  i += 3;
  const trigger: TriggerHead = { table, timing, event };
  const position = ctx.kw(i);
  if (position === 'FOLLOWS' || position === 'PRECEDES') {
    const other = ctx.identifier(i + 1);
    if (other === undefined) return syntaxFalse(ctx, i + 1, `expected a trigger name after ${position}.`);
    trigger.order = { position, trigger: other };
    i += 2;
  }
  if (i >= ctx.tokens.length) return syntaxFalse(ctx, i, "expected the trigger's body (a statement, or BEGIN ... END) after FOR EACH ROW.", ['BEGIN']);
  object.trigger = trigger;
  return true;
}

function routineBodyFits(ctx: ReaderContext, at: number, isFunction: boolean): boolean {
  if (!ctx.isOp(at, '(')) return syntaxFalse(ctx, at, "expected '(' and the parameter list after the name (write () when there are none).", ['(']);
  const close = ctx.close(at, ctx.tokens.length);
  if (close < 0) return syntaxFalse(ctx, at, "the parameter list is never closed with ')'.", [')']);
  let i = close + 1;
  if (isFunction) {
    if (ctx.kw(i) !== 'RETURNS') return syntaxFalse(ctx, i, 'expected RETURNS and the type of the result after the parameter list.', ['RETURNS']);
    if (ctx.name(i + 1) === undefined) return syntaxFalse(ctx, i + 1, 'expected a type after RETURNS.');
    i += 2;
  }
  if (i >= ctx.tokens.length) return syntaxFalse(ctx, i, 'expected the routine body (a statement, or BEGIN ... END).', ['BEGIN']);
  return true;
}

function eventBodyFits(ctx: ReaderContext, at: number): boolean {
  if (ctx.kw(at) !== 'ON' || ctx.kw(at + 1) !== 'SCHEDULE') return syntaxFalse(ctx, at, 'expected ON SCHEDULE after the event name.', ['ON']);
  let i = at + 2;
  if (ctx.kw(i) !== 'AT' && ctx.kw(i) !== 'EVERY') return syntaxFalse(ctx, i, 'expected AT or EVERY after ON SCHEDULE.', ['AT', 'EVERY']);
  while (i < ctx.tokens.length && ctx.kw(i) !== 'DO') i++;
  if (i + 1 >= ctx.tokens.length) return syntaxFalse(ctx, i, "expected DO and the event's body after its schedule.", ['DO']);
  return true;
}

/**
 * The body is sent as written, and schemabranch reads it again later (an event's status
 * for the probe, a trigger's table for the cut-over), not always knowing the server. So a
 * comment that runs on some servers and not on others (`/*!NNNNN` from 50700, `/*M!`) is
 * refused in it: the server could then run a part that schemabranch took for a comment.
 */
function bodyCommentsFit(ctx: ReaderContext, bodyAt: number): boolean {
  // From the name on: a comment between the name and the body is dropped when sent, unless it runs.
  const lex = tokenize(ctx.text, ctx.tokens[bodyAt - 1].end, ctx.tokens[ctx.tokens.length - 1].end);
  const openers = [...lex.versionMarks.map((m) => m.start), ...lex.comments.map((c) => c.start)];
  for (const at of openers) {
    const m = /^\/\*(M?)!(\d{0,6})/.exec(ctx.text.slice(at, at + 10));
    if (!m || !serverDependentComment(m[1] === 'M', m[2])) continue;
    ctx.problems.push({
      file: ctx.file,
      range: ctx.lines.range(at, at + m[0].length),
      kind: 'syntax',
      code: 'server-dependent-comment',
      severity: 'error',
      message: `${m[0]} runs on some servers and not on others, and the body of a view, trigger, routine or event is sent to the server as written: write the code it holds plainly, or remove the comment.`,
    });
    return false;
  }
  return true;
}

function syntaxFalse(ctx: ReaderContext, at: number, message: string, expected?: string[]): false {
  ctx.syntax(at, message, expected);
  return false;
}

function warn(ctx: ReaderContext, from: number, to: number, code: string, message: string): void {
  ctx.problems.push({ file: ctx.file, range: ctx.range(from, to), kind: 'semantic', code, severity: 'warning', message });
}
