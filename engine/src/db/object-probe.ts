/**
 * Views are compared by what the server prints, and only a server can print it: it
 * qualifies names, expands `*`, adds aliases. A branch's files are therefore probed: the
 * branch is created in a scratch database, every view, trigger, routine and event is read
 * back, and the file's objects carry that text as `canonical` (the server is also the
 * first to judge a body: one it refuses is reported here with the file and line).
 * Nothing from the files runs: views, routines and triggers are only defined (no row
 * is written to fire a trigger) and events are created disabled.
 */
import { randomBytes } from 'node:crypto';
import type { Schema, SchemaObject } from '../schema/model.js';
import type { ServerDefaults } from '../schema/normalize.js';
import { renderCreateTable } from '../sql/ddl.js';
import { renderCreateObject, renderDisabledEvent } from '../sql/object-ddl.js';
import { creationOrder } from '../schema/object-order.js';
import { quoteIdent } from '../sql/quote.js';
import { knownWord } from '../sql/words.js';
import { canonicalObjectText, eventStatus, withEventStatus } from '../schema/object-text.js';
import { readLiveObject } from './introspect-objects.js';
import type { Queryable } from './introspect.js';

/** Scratch databases of the probe start with this; a crashed probe leaves one behind that the next can recognise. */
export const PROBE_DATABASE_PREFIX = '_sb_probe_';

export class ObjectRefusedError extends Error {}

/**
 * What a probe is about to send, given to the caller before anything is sent: the
 * objects' statements come from the repository's files, so the user sees each one
 * in full (the CLI prints them), as `branch push` prints what it sends.
 */
export interface ProbeNotice {
  /** The scratch database, dropped again right after. */
  database: string;
  /** Tables created first, from schemabranch's own rendering of the files (names only). */
  tables: string[];
  /** Every view, trigger, routine and event statement, exactly as sent. */
  statements: string[];
}

/** The statement the probe sends for an object: events disabled, so the scheduler never runs a body nobody has pushed. */
function probeStatement(o: SchemaObject): string {
  return o.kind === 'event' ? renderDisabledEvent(o) : renderCreateObject(o);
}

/**
 * `schema` with `canonical` set on every object. `conn` must be one connection, not a
 * pool: the probe switches it to the scratch database (views resolve names there) and
 * back.
 */
export async function probeObjects(conn: Queryable, schema: Schema, defaults: ServerDefaults, onProbe?: (notice: ProbeNotice) => void): Promise<Schema> {
  if (!schema.objects || schema.objects.length === 0) return schema;
  const scratch = `${PROBE_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  const ordered = creationOrder(schema.objects, (o) => o);
  onProbe?.({ database: scratch, tables: schema.tables.map((t) => t.name), statements: ordered.map(probeStatement) });
  const previous = await currentDatabase(conn);
  const charset = knownWord('charset', defaults.charset);
  const collation = knownWord('collation', defaults.collation);
  try {
    await conn.query(`CREATE DATABASE ${quoteIdent(scratch)}${charset ? ` CHARACTER SET ${charset}` : ''}${collation ? ` COLLATE ${collation}` : ''}`);
  } catch (err) {
    throw new ObjectRefusedError(
      `Comparing views, triggers, routines and events takes a scratch database, and the server refused to create one (${err instanceof Error ? err.message : String(err)}). ` +
        "Grant this account CREATE, DROP, CREATE VIEW, SHOW VIEW, TRIGGER, CREATE ROUTINE, ALTER ROUTINE and EVENT on `\\_sb\\_probe\\_%`.* (see docs/privileges.md); nothing was changed.",
    );
  }
  try {
    await conn.query(`USE ${quoteIdent(scratch)}`);
    await conn.query('SET @sb_probe_fk_checks = @@SESSION.foreign_key_checks, SESSION foreign_key_checks = 0');
    for (const t of schema.tables) await conn.query(renderCreateTable(t));
    await conn.query('SET SESSION foreign_key_checks = @sb_probe_fk_checks');
    await createAll(conn, ordered);
    const canonical = new Map<SchemaObject, string>();
    for (const o of schema.objects) {
      const printed = (await readLiveObject(conn, scratch, o.kind, o.name)).canonical!;
      canonical.set(o, o.kind === 'event' ? canonicalObjectText(withEventStatus(printed, eventStatus(renderCreateObject(o))), scratch) : printed);
    }
    return { ...schema, objects: schema.objects.map((o) => ({ ...o, canonical: canonical.get(o) })) };
  } finally {
    await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)}`);
    if (previous) await conn.query(`USE ${quoteIdent(previous)}`);
  }
}

/** Views in rounds until none is left: a view over another view waits for it, whatever the file order. */
async function createAll(conn: Queryable, objects: SchemaObject[]): Promise<void> {
  let pending = objects;
  while (pending.length > 0) {
    const failed: Array<{ o: SchemaObject; err: unknown }> = [];
    for (const o of pending) {
      try {
        await conn.query(probeStatement(o));
      } catch (err) {
        if (o.kind !== 'view') throw refused(o, err);
        failed.push({ o, err });
      }
    }
    if (failed.length === pending.length) throw refused(failed[0].o, failed[0].err);
    pending = failed.map((f) => f.o);
  }
}

function refused(o: SchemaObject, err: unknown): ObjectRefusedError {
  const where = o.source ? ` (${o.source.file}:${o.source.range.start.line + 1})` : '';
  return new ObjectRefusedError(`The server refused ${o.kind} ${o.name}${where}: ${err instanceof Error ? err.message : String(err)}. Fix its definition; nothing was changed.`);
}

async function currentDatabase(conn: Queryable): Promise<string | undefined> {
  const result = (await conn.query('SELECT DATABASE() AS db')) as unknown;
  const list = Array.isArray(result) ? result[0] : result;
  const row = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined;
  return typeof row?.db === 'string' ? row.db : undefined;
}
