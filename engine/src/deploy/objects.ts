/**
 * Views, triggers, routines and events in a deploy request (issue 13).
 *
 * A trigger of a table the request migrates moves with the table inside the
 * cut-over's locks (migration/trigger-move.ts). Every other object change is
 * applied right after the swap, on its own connection: a view over a migrated
 * table can only be created once the table with its new columns holds the
 * name (CREATE VIEW checks the columns), and MariaDB refuses CREATE VIEW and
 * CREATE PROCEDURE under LOCK TABLES (1192, seen on 10.11), so the swap's
 * locked step cannot carry them;
 * until it runs (milliseconds) the old definition reads the new table, which
 * still has every column the old one read unless the request drops one. A
 * request that changes objects only applies them the same way, with no copy.
 *
 * Before anything runs, the previous definition of everything the request
 * drops or replaces is read from the server (SHOW CREATE, with its sql_mode
 * and collation) and stored with the request (`object_undo`): the revert runs
 * those statements after swapping the tables back.
 */
import type { Connection } from 'mysql2/promise';
import type { SchemaChange } from '../diff/change.js';
import { CREATE_COLUMN } from '../db/introspect-objects.js';
import type { SchemaObjectKind } from '../schema/model.js';
import { OBJECT_KEYWORD } from '../sql/object-ddl.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { errno, rows } from '../migration/session.js';
import { inContext, isTriggerOf } from '../migration/trigger-move.js';

/** One statement of an object change or of its undo, with the session context it must run in (null: the engine's). */
export interface ObjectStatement {
  sql: string;
  sqlMode: string | null;
  collation: string | null;
}

/** The object changes applied around the swap: all but the triggers that move with a migrated table. */
export function objectsOutsideMigration(changes: SchemaChange[]): SchemaChange[] {
  const altered = changes.filter((c) => c.kind === 'alter_table').map((c) => c.table);
  return changes.filter((c) => c.object && !altered.some((t) => isTriggerOf(c, t)));
}

/** Whether the request changes tables at all (otherwise no migration runs: objects are applied on their own). */
export function changesTables(changes: SchemaChange[]): boolean {
  return changes.some((c) => !c.object);
}

const dropSql = (kind: SchemaObjectKind, name: string): string => `DROP ${OBJECT_KEYWORD[kind]} IF EXISTS ${quoteIdent(name)}`;

/** The forward statements; a DROP says IF EXISTS so that running them again after a crash is harmless. */
export function forwardStatements(changes: SchemaChange[]): ObjectStatement[] {
  return changes.map((c) => ({ sql: c.kind === 'drop_object' ? dropSql(c.object!.kind, c.object!.name) : c.statement, sqlMode: null, collation: null }));
}

async function previousDefinition(conn: Connection, db: string, kind: SchemaObjectKind, name: string): Promise<ObjectStatement> {
  const [row] = await rows<Record<string, unknown>>(conn, `SHOW CREATE ${OBJECT_KEYWORD[kind]} ${quoteQualified(db, name)}`);
  const field = (k: string): string | null => {
    const v = row?.[Object.keys(row).find((x) => x.toLowerCase() === k.toLowerCase()) ?? ''];
    return v === undefined || v === null ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  };
  const sql = field(CREATE_COLUMN[kind]);
  if (!sql) throw new Error(`SHOW CREATE ${OBJECT_KEYWORD[kind]} ${name} returned nothing: the deploy account needs the privileges to read it, so that a revert can put it back. Nothing was changed.`);
  // A view has no sql_mode of its own; its text is fully qualified by the server.
  return { sql, sqlMode: kind === 'view' ? null : (field('sql_mode') ?? ''), collation: field('collation_connection') };
}

/** What puts every object back as it is now, in the order to run it: read from the server before the request changes anything. */
export async function undoStatements(conn: Connection, db: string, changes: SchemaChange[]): Promise<ObjectStatement[]> {
  const perChange: ObjectStatement[][] = [];
  for (const c of changes) {
    const { kind, name } = c.object!;
    if (c.kind === 'create_object') perChange.push([{ sql: dropSql(kind, name), sqlMode: null, collation: null }]);
    else {
      const prev = await previousDefinition(conn, db, kind, name);
      // A replaced view goes back by CREATE OR REPLACE: never a moment without it.
      perChange.push([c.kind === 'replace_object' ? { ...prev, sql: prev.sql.replace(/^\s*CREATE\b/i, 'CREATE OR REPLACE') } : prev]);
    }
  }
  return perChange.reverse().flat();
}

/** Errors that say a CREATE already happened (a run cut short by a crash is being finished). */
const EXISTS = new Set([1050, 1304, 1359, 1537]);

/**
 * Runs `statements` in `db` in order. `again`: an earlier run may have applied
 * some of them already (a CREATE that finds its object is then done). Returns
 * how many ran; throws with that count on the error.
 */
export async function runObjectStatements(conn: Connection, db: string, statements: ObjectStatement[], again = false): Promise<number> {
  await conn.query(`USE ${quoteIdent(db)}`);
  let done = 0;
  for (const s of statements) {
    try {
      await inContext(conn, s, () => conn.query(s.sql));
    } catch (err) {
      if (!(again && EXISTS.has(errno(err) ?? 0))) throw Object.assign(err instanceof Error ? err : new Error(String(err)), { objectsDone: done });
    }
    done++;
  }
  return done;
}

/** How many statements ran before `err`. */
export function objectsDone(err: unknown): number {
  return typeof err === 'object' && err !== null && 'objectsDone' in err ? Number((err as { objectsDone: unknown }).objectsDone) : 0;
}
