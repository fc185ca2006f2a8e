/**
 * What two definitions of one view, trigger, routine or event are compared by: the
 * statement as the server prints it, with what depends on where and when it was created
 * taken out. Pure; the server's text comes from db/introspect-objects.ts.
 */
import { isOp, kw, tokenize, type Token } from './lexer.js';
import { objectHeadOf } from './object-head.js';

/**
 * SHOW CREATE output made comparable across databases and servers: the DEFINER clause
 * (compared on its own, and only when a file names one), qualifiers naming the object's
 * own database (a view's SELECT is printed with them), an event's AT, STARTS and ENDS
 * times (printed as the time they came to at creation; compared on their own, see
 * SchemaObject.schedule) and comments go; a quoted name that needs no quotes loses
 * them (a trigger is printed as it was sent: `t` and t are one name); tokens are joined
 * by single spaces. The text is for comparing, never for running.
 */
export function canonicalObjectText(serverText: string, ownDatabase: string): string {
  const tokens = tokenize(serverText).tokens;
  const head = objectHeadOf(tokens);
  const drop = new Uint8Array(tokens.length);
  if (head?.definer) drop.fill(1, head.definer[0], head.definer[1]);
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (isOp(tokens[i + 1], '.') && isOwn(tokens[i], ownDatabase)) drop.fill(1, i, i + 2);
  }
  if (head?.kind === 'event') for (const [from, to] of Object.values(scheduleTimes(tokens, head.kindAt)).map((t) => t.tokens)) drop.fill(1, from, to);
  const kept: string[] = [];
  tokens.forEach((t, k) => {
    if (!drop[k]) kept.push(t.kind === 'ident' && PLAIN_NAME.test(t.value) ? t.value : serverText.slice(t.start, t.end));
  });
  return kept.join(' ');
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;

function isOwn(t: Token, database: string): boolean {
  return (t.kind === 'ident' || t.kind === 'word') && t.value === database;
}

/**
 * The server's text without qualifiers naming `ownDatabase`, spacing kept: runnable in
 * another database (a branch's view, created on main, must not read the branch).
 */
export function withoutOwnDatabase(serverText: string, ownDatabase: string): string {
  const tokens = tokenize(serverText).tokens;
  let out = '';
  let from = 0;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!isOp(tokens[i + 1], '.') || !isOwn(tokens[i], ownDatabase)) continue;
    out += serverText.slice(from, tokens[i].start);
    from = tokens[i + 1].end;
  }
  return out + serverText.slice(from);
}

const STATUS_WORDS = new Set(['ENABLE', 'DISABLE']);

/**
 * An event statement with its status (ENABLE, DISABLE, DISABLE ON SLAVE) made `status`:
 * a probe creates events disabled, so the scheduler never runs a body from a file that
 * nobody has pushed, and the printed text gets the file's own status back. Works on a
 * statement or on canonical text alike; other statements are returned as they are.
 */
export function withEventStatus(text: string, status: string): string {
  const tokens = tokenize(text).tokens;
  const head = objectHeadOf(tokens);
  if (head?.kind !== 'event') return text;
  let doAt = tokens.findIndex((t, k) => k > head.kindAt && kw(t) === 'DO');
  if (doAt < 0) return text;
  let out = '';
  let from = 0;
  for (let k = head.kindAt; k < doAt; k++) {
    if (!STATUS_WORDS.has(kw(tokens[k]))) continue;
    let end = k + 1;
    if (kw(tokens[k]) === 'DISABLE' && kw(tokens[k + 1]) === 'ON') end = k + 3;
    out += text.slice(from, tokens[k].start);
    from = tokens[end - 1].end;
    k = end - 1;
  }
  // The status goes before COMMENT 'x' when there is one: the grammar's order.
  const commentAt = kw(tokens[doAt - 2]) === 'COMMENT' ? doAt - 2 : doAt;
  doAt = commentAt;
  return `${out}${text.slice(from, tokens[doAt].start)}${status} ${text.slice(tokens[doAt].start)}`;
}

/** The status an event statement names, ENABLE when it names none (the server's default). */
export function eventStatus(text: string): string {
  const tokens = tokenize(text).tokens;
  const doAt = tokens.findIndex((t) => kw(t) === 'DO');
  for (let k = 0; k < doAt; k++) {
    if (kw(tokens[k]) === 'ENABLE') return 'ENABLE';
    if (kw(tokens[k]) === 'DISABLE') return kw(tokens[k + 1]) === 'ON' ? `DISABLE ON ${tokens[k + 2]?.value.toUpperCase() ?? 'SLAVE'}` : 'DISABLE';
  }
  return 'ENABLE';
}

const TIME_WORDS: Record<string, 'at' | 'starts' | 'ends'> = { AT: 'at', STARTS: 'starts', ENDS: 'ends' };

/**
 * An event's AT, STARTS and ENDS between its name (token `from`) and DO: each with its
 * token range, and its literal when it is a plain string (not an expression such as
 * CURRENT_TIMESTAMP + INTERVAL 1 DAY, whose value depends on when it ran).
 */
export function scheduleTimes(tokens: readonly Token[], from: number): Partial<Record<'at' | 'starts' | 'ends', { tokens: [number, number]; literal?: string }>> {
  const out: Partial<Record<'at' | 'starts' | 'ends', { tokens: [number, number]; literal?: string }>> = {};
  let k = from;
  while (k < tokens.length && kw(tokens[k]) !== 'DO') {
    const key = TIME_WORDS[kw(tokens[k])];
    if (!key) {
      k++;
      continue;
    }
    let end = k + 1;
    while (end < tokens.length && !ENDS_TIME.has(kw(tokens[end]))) end++;
    const plain = end === k + 2 && tokens[k + 1].kind === 'string';
    out[key] = plain ? { tokens: [k, end], literal: tokens[k + 1].value } : { tokens: [k, end] };
    k = end;
  }
  return out;
}

/** Words that end a schedule time: the next clause of CREATE EVENT. */
const ENDS_TIME = new Set(['STARTS', 'ENDS', 'ON', 'ENABLE', 'DISABLE', 'COMMENT', 'DO']);
