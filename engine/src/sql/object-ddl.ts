/**
 * CREATE and DROP statements for views, triggers, routines and events, from the model.
 * The name and the definer go through quote.ts; the body is the user's SQL, sent as
 * written (the server is the judge of it).
 */
import type { SchemaObject, SchemaObjectKind } from '../schema/model.js';
import { kw, tokenize, type Token } from '../schema/lexer.js';
import { quoteIdent, quoteString, UnsafeSqlTextError } from './quote.js';

export const OBJECT_KEYWORD: Record<SchemaObjectKind, string> = { view: 'VIEW', trigger: 'TRIGGER', procedure: 'PROCEDURE', function: 'FUNCTION', event: 'EVENT' };

export function renderCreateObject(o: SchemaObject, opts: { orReplace?: boolean } = {}): string {
  const definer = o.definer ? ` DEFINER=${quoteString(o.definer.user)}@${quoteString(o.definer.host)}` : '';
  // A view's ALGORITHM must come before DEFINER (the server's grammar; SHOW CREATE VIEW prints both).
  const algorithm = /^ALGORITHM\s*=\s*\w+/i.exec(o.clauses)?.[0];
  const rest = algorithm ? o.clauses.slice(algorithm.length).trim() : o.clauses;
  const clauses = rest ? ` ${rest}` : '';
  return `CREATE${opts.orReplace ? ' OR REPLACE' : ''}${algorithm ? ` ${algorithm}` : ''}${definer}${clauses} ${OBJECT_KEYWORD[o.kind]} ${quoteIdent(o.name)} ${o.body}`;
}

export function renderDropObject(o: Pick<SchemaObject, 'kind' | 'name'>): string {
  return `DROP ${OBJECT_KEYWORD[o.kind]} ${quoteIdent(o.name)}`;
}

/**
 * A schema file holding one object, as `branch pull` writes it: without the definer (an
 * account of this server would break the file on another), and between DELIMITER lines
 * when its body holds `;`, as the mariadb client needs and dump files do.
 */
export function renderObjectFile(o: SchemaObject): string {
  const statement = renderCreateObject({ ...o, definer: undefined });
  if (!statement.includes(';')) return `${statement};\n`;
  const delimiter = ['$$', '//', '$$$$', '@@@@'].find((d) => !statement.includes(d)) ?? unusedDelimiter(statement);
  return `DELIMITER ${delimiter}\n${statement}${delimiter}\nDELIMITER ;\n`;
}

/** A delimiter the statement does not hold: one it held would end the statement there when the file is read again. */
function unusedDelimiter(statement: string): string {
  for (let k = 1; ; k++) if (!statement.includes(`$$${k}$$`)) return `$$${k}$$`;
}

/**
 * An event as a probe creates it: DISABLE whatever the file says, so the scheduler never
 * runs a body nobody has pushed. Its head (schedule, ON COMPLETION, COMMENT) is printed
 * again from its tokens, comments dropped, strings through quoteString and names through
 * quoteIdent: the DISABLE then stands where the server reads it, even where the server
 * would read a comment otherwise than the lexer does. The body after DO is sent as written.
 */
export function renderDisabledEvent(o: SchemaObject): string {
  const tokens = tokenize(o.body).tokens;
  const doAt = tokens.findIndex((t) => kw(t) === 'DO');
  if (doAt < 0) throw new UnsafeSqlTextError(`The event ${o.name} has no DO and body.`);
  const head: string[] = [];
  let comment = '';
  for (let k = 0; k < doAt; k++) {
    const w = kw(tokens[k]);
    if (w === 'ENABLE') continue;
    if (w === 'DISABLE') {
      if (kw(tokens[k + 1]) === 'ON') k += 2; // DISABLE ON SLAVE (ON COMPLETION comes before the status)
      continue;
    }
    // The status goes before COMMENT 'x': the grammar's order.
    if (w === 'COMMENT' && k === doAt - 2) {
      comment = ` COMMENT ${tokenText(tokens[k + 1])}`;
      break;
    }
    head.push(tokenText(tokens[k]));
  }
  return renderCreateObject({ ...o, body: `${head.join(' ')} DISABLE${comment} ${o.body.slice(tokens[doAt].start)}` });
}

function tokenText(t: Token): string {
  return t.kind === 'string' ? quoteString(t.value) : t.kind === 'ident' ? quoteIdent(t.value) : t.value;
}
