/**
 * The branch module's view of the schema readers: a mysql2 Connection passed
 * as introspect's minimal Queryable (mysql2's overloaded query() does not
 * match that type, though at run time it is exactly that), engine tables left
 * out, and server defaults for a database that does not exist yet.
 */
import type { Connection } from 'mysql2/promise';
import { readLiveSchema, readServerDefaults, type Queryable } from '../db/introspect.js';
import type { Schema } from '../schema/model.js';
import { serverVersionOf, type ServerVersion } from '../schema/lexer.js';
import { normalizeSchema, type ServerDefaults } from '../schema/normalize.js';
import { probeObjects, type ProbeNotice } from '../db/object-probe.js';
import { withoutEngineTables } from './engine-tables.js';

/** The character set a database gets when schemabranch creates it without main to copy from. */
export const NEW_DATABASE_CHARSET = 'utf8mb4';

const queryable = (conn: Connection): Queryable => conn as unknown as Queryable;

export async function liveSchema(conn: Connection, database: string): Promise<Schema> {
  return withoutEngineTables(await readLiveSchema(queryable(conn), database));
}

/** Defaults of an existing database, or of the one schemabranch would create (utf8mb4 with the server's default collation). */
export async function serverDefaults(conn: Connection, database: string | undefined): Promise<ServerDefaults> {
  if (database) return readServerDefaults(queryable(conn), database);
  const server = await readServerDefaults(queryable(conn), 'information_schema');
  const collation = server.charsetCollations?.[NEW_DATABASE_CHARSET] ?? `${NEW_DATABASE_CHARSET}_general_ci`;
  return { ...server, charset: NEW_DATABASE_CHARSET, collation };
}

/** The server's flavour and version: which executable comments (`/*!NNNNN ... *\/`) in a file it runs. */
export async function liveServerVersion(conn: Connection): Promise<ServerVersion> {
  const [rows] = await conn.query('SELECT VERSION() AS v');
  const first = Array.isArray(rows) ? (rows[0] as { v?: unknown } | undefined) : undefined;
  return serverVersionOf(String(first?.v ?? ''));
}

/**
 * A branch's files as they compare with a live database: tables normalized, views,
 * triggers, routines and events probed on the server (db/object-probe.ts).
 */
export async function comparableFiles(conn: Connection, schema: Schema, defaults: ServerDefaults, onProbe?: (notice: ProbeNotice) => void): Promise<Schema> {
  return probeObjects(queryable(conn), normalizeSchema(schema, defaults), defaults, onProbe);
}
