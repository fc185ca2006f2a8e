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
 * own database (a view's SELECT is printed with them), an event's STARTS (the creation
 * time when none was given) and comments go; a quoted name that needs no quotes loses
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
    if (head?.kind === 'event' && kw(tokens[i]) === 'STARTS' && tokens[i + 1].kind === 'string') drop.fill(1, i, i + 2);
  }
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
