/**
 * CREATE and DROP statements for views, triggers, routines and events, from the model.
 * The name and the definer go through quote.ts; the body is the user's SQL, sent as
 * written (the server is the judge of it).
 */
import type { SchemaObject, SchemaObjectKind } from '../schema/model.js';
import { quoteIdent, quoteString } from './quote.js';

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
  const delimiter = ['$$', '//', '$$$$', '@@@@'].find((d) => !statement.includes(d)) ?? '$$';
  return `DELIMITER ${delimiter}\n${statement}${delimiter}\nDELIMITER ;\n`;
}
