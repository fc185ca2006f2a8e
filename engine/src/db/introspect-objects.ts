/**
 * Reads a live database's views, triggers, routines and events into the model: SHOW
 * CREATE for each, through the same parser as the files, with `canonical` set
 * (schema/object-text.ts) so a file probed on a server and the live object compare equal.
 */
import type { SchemaObject, SchemaObjectKind } from '../schema/model.js';
import { canonicalObjectText, withoutOwnDatabase } from '../schema/object-text.js';
import { parseSchemaFile } from '../schema/parse.js';
import { isEngineTrigger } from '../migration/names.js';
import { OBJECT_KEYWORD } from '../sql/object-ddl.js';
import { quoteQualified } from '../sql/quote.js';
import { LiveSchemaError, type Queryable } from './introspect.js';

type Row = Record<string, unknown>;

/** Column of SHOW CREATE <kind> that holds the statement. */
export const CREATE_COLUMN: Record<SchemaObjectKind, string> = { view: 'Create View', trigger: 'SQL Original Statement', procedure: 'Create Procedure', function: 'Create Function', event: 'Create Event' };

/** Live order: kind in creation order, then name. */
export const KIND_ORDER: SchemaObjectKind[] = ['procedure', 'function', 'view', 'trigger', 'event'];

const LISTS: Record<SchemaObjectKind, string> = {
  view: 'SELECT TABLE_NAME AS name FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?',
  trigger: 'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?',
  procedure: "SELECT ROUTINE_NAME AS name FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE = 'PROCEDURE'",
  function: "SELECT ROUTINE_NAME AS name FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE = 'FUNCTION'",
  event: 'SELECT EVENT_NAME AS name FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?',
};

async function rows(conn: Queryable, sql: string, values?: unknown): Promise<Row[]> {
  const result = await conn.query(sql, values);
  const list = Array.isArray(result) ? result[0] : result;
  return Array.isArray(list) ? (list as Row[]) : [];
}

function field(row: Row, name: string): string {
  const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : row[key];
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return v === null || v === undefined ? '' : String(v);
}

/** Every view, trigger (but the engine's capture triggers), routine and event of `database`, kind then name order. */
export async function readLiveObjects(conn: Queryable, database: string): Promise<SchemaObject[]> {
  const objects: SchemaObject[] = [];
  for (const kind of KIND_ORDER) {
    const names = (await rows(conn, LISTS[kind], [database])).map((r) => field(r, 'name')).filter((n) => kind !== 'trigger' || !isEngineTrigger(n));
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) objects.push(await readLiveObject(conn, database, kind, name));
  }
  return objects;
}

export async function readLiveObject(conn: Queryable, database: string, kind: SchemaObjectKind, name: string): Promise<SchemaObject> {
  const [row] = await rows(conn, `SHOW CREATE ${OBJECT_KEYWORD[kind]} ${quoteQualified(database, name)}`);
  const ddl = row ? field(row, CREATE_COLUMN[kind]) : '';
  // Its body must not name this database, so it can be created in another.
  const object: SchemaObject = { ...readOne(withoutOwnDatabase(ddl, database), database, kind, name), canonical: canonicalObjectText(ddl, database), nolint: [] };
  delete object.source;
  delete object.nameSource;
  return object;
}

function readOne(ddl: string, database: string, kind: SchemaObjectKind, name: string): SchemaObject {
  const parsed = parseSchemaFile(`${database}.${name}`, ddl, { fromServer: true });
  const object = parsed.objects[0];
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (!object || errors.length > 0) {
    const why = errors.map((p) => p.message).join('; ') || (ddl ? `no CREATE ${OBJECT_KEYWORD[kind]} statement came back` : 'SHOW CREATE returned nothing: does this account have the privilege to see it?');
    throw new LiveSchemaError(`schemabranch could not read ${kind} ${name} from the server (${why}). Please report it with the output of SHOW CREATE ${OBJECT_KEYWORD[kind]}.`);
  }
  return object;
}
