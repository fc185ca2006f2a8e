/**
 * Reads a live database into the schema model: SHOW CREATE TABLE for every base table,
 * through the same parser as the files, then normalized, so the two compare deep-equal;
 * views, triggers, routines and events by introspect-objects.ts.
 */
import type { Schema, Table } from '../schema/model.js';
import { normalizeTable, serverOf, stripSources, type ServerDefaults } from '../schema/normalize.js';
import { serverVersionOf } from '../schema/lexer.js';
import { parseSchemaFile } from '../schema/parse.js';
import { quoteQualified } from '../sql/quote.js';
import { readLiveObjects } from './introspect-objects.js';

/**
 * Anything with mysql2/promise's query(): a Connection or a Pool. Written with method
 * syntax on purpose: method parameters are checked bivariantly, which is what lets
 * mysql2's `values?: QueryValues` overloads satisfy `values?: unknown`.
 */
export type Queryable = { query(sql: string, values?: unknown): Promise<unknown> };

/** Tables schemabranch itself creates in a user's database (changelogs, sentries) start with this. */
export const INTERNAL_TABLE_PREFIX = '_sb';

export class LiveSchemaError extends Error {}

type Row = Record<string, unknown>;

async function rows(conn: Queryable, sql: string, values?: unknown): Promise<Row[]> {
  const result = await conn.query(sql, values);
  const list = Array.isArray(result) ? result[0] : result;
  return Array.isArray(list) ? (list as Row[]) : [];
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return v === null || v === undefined ? '' : String(v);
}

/** Column of a row by name, whatever case the server returned it in. */
function field(row: Row, name: string): string {
  if (name in row) return text(row[name]);
  const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? '' : text(row[key]);
}

export async function readServerDefaults(conn: Queryable, database: string): Promise<ServerDefaults> {
  const [info] = await rows(conn, 'SELECT VERSION() AS version, @@default_storage_engine AS engine');
  const version = field(info ?? {}, 'version');
  const flavor = serverVersionOf(version).flavor;
  const [schema] = await rows(
    conn,
    'SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [database],
  );
  if (!schema) throw new LiveSchemaError(`The database ${database} does not exist on this server; create the branch first (schemabranch branch create).`);
  const charsetCollations: Record<string, string> = {};
  for (const r of await rows(conn, 'SELECT CHARACTER_SET_NAME AS cs, DEFAULT_COLLATE_NAME AS co FROM information_schema.CHARACTER_SETS')) {
    charsetCollations[field(r, 'cs').toLowerCase()] = field(r, 'co').toLowerCase();
  }
  return {
    flavor,
    version: serverVersionOf(version).version,
    charset: field(schema, 'cs').toLowerCase(),
    collation: field(schema, 'co').toLowerCase(),
    engine: field(info ?? {}, 'engine') || 'InnoDB',
    charsetCollations,
  };
}

/**
 * Base tables (and MariaDB's system-versioned ones) of `database` in name order (code-point
 * order), normalized; schemabranch's own tables, whose names start with `_sb`, are skipped.
 */
export async function readLiveSchema(conn: Queryable, database: string): Promise<Schema> {
  const defaults = await readServerDefaults(conn, database);
  const names = (
    await rows(conn, "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')", [database])
  )
    .map((r) => field(r, 'name'))
    .filter((n) => !n.startsWith(INTERNAL_TABLE_PREFIX))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const tables: Table[] = [];
  for (const name of names) {
    const [row] = await rows(conn, `SHOW CREATE TABLE ${quoteQualified(database, name)}`);
    const ddl = row ? field(row, 'Create Table') : '';
    const parsed = parseSchemaFile(`${database}.${name}`, ddl, { dialect: defaults.flavor, server: serverOf(defaults), fromServer: true });
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    const table = parsed.tables[0];
    if (!table || errors.length > 0) {
      const why = errors.map((p) => p.message).join('; ') || 'no CREATE TABLE statement came back';
      throw new LiveSchemaError(`schemabranch could not read table ${name} from the server (${why}). This is a gap in schemabranch's parser; please report it with the output of SHOW CREATE TABLE.`);
    }
    tables.push(normalizeTable(stripSources({ ...table, nolint: [] }), defaults));
  }
  const objects = await readLiveObjects(conn, database);
  return objects.length > 0 ? { tables, objects } : { tables };
}
