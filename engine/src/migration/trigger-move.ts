/**
 * The user's triggers across a cut-over and a revert.
 *
 * A trigger belongs to a table object and RENAME takes it along, and trigger
 * names are unique per database: the user's triggers cannot wait ready on the
 * shadow. So the swap moves them itself, on the connection that holds the
 * swap's locks (cutover.ts), after the final drain and before the RENAME runs:
 * DROP TRIGGER on the table that is about to be set aside, CREATE TRIGGER (the
 * statement the server printed, its sql_mode and collation_connection set for
 * it) on the one about to take the user's name. MariaDB allows both under LOCK
 * TABLES when the trigger's table is write-locked (it is: the swap locks both
 * tables) and needs nothing else locked (a body's tables are resolved when it
 * runs). No write reaches either table between the DROP and the RENAME, so
 * every write fires the triggers exactly once, and the table kept in sync
 * through the revert window carries none (the engine's drain there would fire
 * them a second time). The price is two DDL statements per trigger inside the
 * stall, each a trigger-file write and sync on the server (three triggers'
 * six took 180-250 ms on a 2-core machine at load average 7, ~20 ms quiet):
 * MariaDB has no RENAME TRIGGER and no disabled trigger, so there is no cheaper
 * way to keep exactly one set firing.
 *
 * A CREATE that fails would leave the live table without its triggers, so it
 * is made not to fail: before anything is built, every definition the new
 * table will carry is created on a scratch copy of the new table (the server
 * checks NEW.x and OLD.x against the columns there: a trigger reading a column
 * the change drops is refused up front). If one still fails under the locks,
 * the swap's undo (settleTriggers) puts the previous definitions back on the
 * live table before the locks are released and the RENAME is not run.
 */
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import type { SchemaChange } from '../diff/change.js';
import { PROBE_DATABASE_PREFIX } from '../db/object-probe.js';
import { renderCreateTable } from '../sql/ddl.js';
import { renderCreateObject } from '../sql/object-ddl.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { isEngineTrigger } from './names.js';
import { rows } from './session.js';
import type { TableRecord } from './store.js';
import { liveTriggerSignature, triggerOnTable, triggerSignature } from './trigger-text.js';

export interface TriggerDefinition {
  name: string;
  statement: string;
  /** The session context the trigger was created in; null: the engine session's own (a branch's definition). */
  sqlMode: string | null;
  collation: string | null;
}

/** What an altered table carries before the cut-over, and after it (the branch's definitions where the request changes them). */
export interface TriggerPlan {
  before: TriggerDefinition[];
  after: TriggerDefinition[];
}

type Row = Record<string, unknown>;
const text = (row: Row, name: string): string | null => {
  const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : row[key];
  return v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
};

/** The user's triggers on a table, in the order they fire (so creating them in this order keeps FOLLOWS/PRECEDES valid). */
export async function liveUserTriggers(conn: Connection, db: string, table: string): Promise<TriggerDefinition[]> {
  const names = await rows<{ n: string }>(
    conn,
    'SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND EVENT_OBJECT_TABLE = ? ORDER BY EVENT_MANIPULATION, ACTION_TIMING, ACTION_ORDER',
    [db, table],
  );
  const out: TriggerDefinition[] = [];
  for (const { n } of names) {
    if (isEngineTrigger(n)) continue;
    const [row] = await rows<Row>(conn, `SHOW CREATE TRIGGER ${quoteQualified(db, n)}`);
    const statement = row ? text(row, 'SQL Original Statement') : null;
    if (!statement) throw new Error(`SHOW CREATE TRIGGER ${n} returned nothing: the deploy account needs the TRIGGER privilege on ${db} to move the triggers of ${table}.`);
    out.push({ name: n, statement, sqlMode: text(row!, 'sql_mode') ?? '', collation: text(row!, 'collation_connection') });
  }
  return out;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Trigger changes of the request that belong to `table`'s move (the rest are applied after the swap). */
export function isTriggerOf(c: SchemaChange, table: string): boolean {
  if (c.object?.kind !== 'trigger') return false;
  const on = (c.objectAfter ?? c.objectBefore)?.trigger?.table;
  return on !== undefined && same(on, table);
}

/** For every altered table with triggers before or after: what it carries now and what it will carry. */
export async function planTriggers(conn: Connection, db: string, changes: SchemaChange[]): Promise<Map<string, TriggerPlan>> {
  const plans = new Map<string, TriggerPlan>();
  for (const c of changes) {
    if (c.kind !== 'alter_table') continue;
    const before = await liveUserTriggers(conn, db, c.table);
    const mine = changes.filter((x) => isTriggerOf(x, c.table));
    const dropped = new Set(mine.filter((x) => x.kind === 'drop_object').map((x) => x.object!.name.toLowerCase()));
    const created = mine.filter((x) => x.kind === 'create_object' && x.objectAfter).map((x) => ({ name: x.object!.name, statement: renderCreateObject(x.objectAfter!), sqlMode: null, collation: null }));
    const after = [...before.filter((d) => !dropped.has(d.name.toLowerCase())), ...created];
    if (before.length || after.length) plans.set(c.table, { before, after });
  }
  return plans;
}

/** Runs `fn` with the session's sql_mode and collation_connection those the object was created with (null: leave as is), then puts them back. */
export async function inContext<T>(conn: Connection, d: { sqlMode: string | null; collation: string | null }, fn: () => Promise<T>): Promise<T> {
  if (d.sqlMode === null && d.collation === null) return fn();
  // character_set_client stays the connection's utf8mb4: the text arrives as UTF-8, and declaring it otherwise would garble it.
  // Few round trips: under the cut-over's locks each one is part of the application's stall.
  const [s] = await rows<{ m: string; c: string }>(conn, 'SELECT @@SESSION.sql_mode AS m, @@SESSION.collation_connection AS c');
  const mode = d.sqlMode ?? s!.m;
  const collation = d.collation ?? s!.c;
  const changed = mode !== s!.m || collation !== s!.c;
  if (changed) await conn.query('SET SESSION sql_mode = ?, SESSION collation_connection = ?', [mode, collation]);
  try {
    return await fn();
  } finally {
    if (changed) await conn.query('SET SESSION sql_mode = ?, SESSION collation_connection = ?', [s!.m, s!.c]);
  }
}

export async function createTrigger(conn: Connection, db: string, d: TriggerDefinition, table: string): Promise<void> {
  await inContext(conn, d, () => conn.query(triggerOnTable(d.statement, db, d.name, table)));
}

/** Under the swap's locks: `from` dropped (from the table about to be set aside), `to` created on `toTable`. */
export async function moveTriggers(conn: Connection, db: string, from: TriggerDefinition[], toTable: string, to: TriggerDefinition[]): Promise<void> {
  for (const d of from) await conn.query(`DROP TRIGGER IF EXISTS ${quoteQualified(db, d.name)}`);
  for (const d of to) await createTrigger(conn, db, d, toTable);
}

/**
 * Makes the table that holds the user's name (`table`) carry exactly `want`,
 * and every other table none of the plan's triggers: the undo of a swap that
 * will not run, and recovery after a crash. Idempotent; a trigger already right
 * is left alone, so the live table is never without it.
 */
export async function settleTriggers(conn: Connection, db: string, table: string, plan: TriggerPlan, want: TriggerDefinition[]): Promise<void> {
  const names = new Set([...plan.before, ...plan.after].map((d) => d.name.toLowerCase()));
  const live = await rows<{ n: string; tb: string; t: string; e: string; s: string }>(
    conn,
    'SELECT TRIGGER_NAME AS n, EVENT_OBJECT_TABLE AS tb, ACTION_TIMING AS t, EVENT_MANIPULATION AS e, ACTION_STATEMENT AS s FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?',
    [db],
  );
  const kept = new Set<string>();
  for (const r of live) {
    if (!names.has(r.n.toLowerCase())) continue;
    const w = want.find((d) => same(d.name, r.n));
    if (w && r.tb === table && triggerSignature(w.statement) === liveTriggerSignature(r.t, r.e, r.s)) kept.add(w.name.toLowerCase());
    else await conn.query(`DROP TRIGGER IF EXISTS ${quoteQualified(db, r.n)}`);
  }
  for (const d of want) if (!kept.has(d.name.toLowerCase())) await createTrigger(conn, db, d, table);
}

/**
 * Every definition an altered table will carry after the cut-over, created on
 * a scratch copy of its new schema: what the server refuses there (a trigger
 * reading a column the change drops, say) is refused before anything is built.
 */
export async function triggerProblems(conn: Connection, db: string, changes: SchemaChange[], plans: Map<string, TriggerPlan>): Promise<string[]> {
  const checked = changes.filter((c) => c.kind === 'alter_table' && c.after && plans.get(c.table)?.after.length);
  if (!checked.length) return [];
  const scratch = `${PROBE_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  const [{ d: previous } = { d: null }] = await rows<{ d: string | null }>(conn, 'SELECT DATABASE() AS d');
  const out: string[] = [];
  try {
    await conn.query(`CREATE DATABASE ${quoteIdent(scratch)}`);
    await conn.query(`USE ${quoteIdent(scratch)}`);
    for (const c of checked) {
      // Without foreign keys: they would need their parents here, and a trigger cannot depend on them.
      await conn.query(renderCreateTable(c.after!, { foreignKeys: false }));
      for (const d of plans.get(c.table)!.after) {
        try {
          await createTrigger(conn, scratch, d, c.after!.name);
        } catch (err) {
          out.push(
            `Trigger ${d.name} on ${c.table} would not work on the new ${c.table}: the server says "${err instanceof Error ? err.message : String(err)}". ` +
              'The change drops or renames a column the trigger uses: change the trigger in the same branch (the deploy request carries it), or change the trigger first, then deploy.',
          );
        }
      }
    }
  } finally {
    await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)}`);
    if (previous) await conn.query(`USE ${quoteIdent(previous)}`);
  }
  return out;
}

/** Why the triggers on the original table no longer match what the migration recorded, or undefined when they do. */
export async function triggersChanged(conn: Connection, db: string, table: string, plan: TriggerPlan): Promise<string | undefined> {
  const now = await liveUserTriggers(conn, db, table);
  const sig = (ds: TriggerDefinition[]): string => ds.map((d) => `${d.name.toLowerCase()} ${triggerSignature(d.statement)}`).sort().join('\n');
  if (sig(now) === sig(plan.before)) return undefined;
  return `The triggers of ${table} changed on main since this deploy started, so the cut-over cannot move them as recorded. Nothing was changed: cancel this deploy request and open it again.`;
}

/** The swap's step under its locks: 'forward' moves each altered table's triggers to its shadow, 'reverse' to its old table. */
export async function moveAllTriggers(conn: Connection, db: string, tables: TableRecord[], direction: 'forward' | 'reverse'): Promise<void> {
  for (const t of tables) {
    if (t.kind !== 'alter_table' || !t.triggers) continue;
    if (direction === 'forward') await moveTriggers(conn, db, t.triggers.before, t.shadow, t.triggers.after);
    else await moveTriggers(conn, db, t.triggers.after, t.old, t.triggers.before);
  }
}

/** settleTriggers for every altered table: 'before' when the old schema holds the user's names, 'after' when the new one does. */
export async function settleAllTriggers(conn: Connection, db: string, tables: TableRecord[], side: 'before' | 'after'): Promise<void> {
  for (const t of tables) if (t.kind === 'alter_table' && t.triggers) await settleTriggers(conn, db, t.table, t.triggers, t.triggers[side]);
}

/** Refuses a cut-over when main's triggers changed since the plan was recorded: moving the recorded ones would undo that change. */
export async function refuseChangedTriggers(conn: Connection, db: string, tables: TableRecord[]): Promise<void> {
  for (const t of tables) {
    if (t.kind !== 'alter_table' || !t.triggers) continue;
    const why = await triggersChanged(conn, db, t.table, t.triggers);
    if (why) throw new Error(why);
  }
}
