/** Builds the shadow tables and capture triggers for a migration; the first step, before any row moves. */
import type { Connection } from 'mysql2/promise';
import type { SchemaChange } from '../diff/change.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { commonColumns, liveColumns, sharedKey, tableExists, uniqueKeys } from './inspect.js';
import { ForeignKeyViolation, indexForeignKeysOnShadow, keysAfter, liveForeignKeys, orphanProblems } from './foreign-keys.js';
import { refuseWhatCannotRunOnline } from './preflight.js';
import { planTriggers } from './trigger-move.js';
import { changelogName, METADATA_DB, oldName, shadowName, triggerName } from './names.js';
import { errno, rows, sleep } from './session.js';
import { alterShadowTable, createCaptureTrigger, createChangelog, createShadowTable, dropTable, dropTrigger, type TriggerEvent } from './sql.js';
import type { TableRecord } from './store.js';
import { runDdlPolitely } from './cleanup.js';

const EVENTS: TriggerEvent[] = ['ins', 'upd', 'del'];

export async function buildTableRecords(conn: Connection, db: string, id: number, changes: SchemaChange[]): Promise<TableRecord[]> {
  // Every refusal, for every table, before the first shadow is built: a refused prepare leaves nothing behind.
  await refuseWhatCannotRunOnline(conn, db, changes);
  const out: TableRecord[] = [];
  // Views, triggers, routines and events are not tables: the cut-over applies them (objects.ts), triggers of altered tables move with them.
  const triggers = await planTriggers(conn, db, changes);
  for (const [position, c] of changes.filter((x) => !x.object).entries()) {
    const base: TableRecord = {
      position,
      table: c.table,
      kind: c.kind,
      statement: c.statement,
      alterSpec: c.alterSpec ?? null,
      shadow: shadowName(c.table, id),
      old: oldName(c.table, id),
      changelog: null,
      key: [],
      forwardColumns: [],
      backColumns: [],
      rowsTotal: 0,
      rowsCopied: 0,
      lastKey: null,
      endKey: null,
      copyDone: c.kind !== 'alter_table',
      foreignKeys: null,
      triggers: triggers.get(c.table) ?? null,
    };
    if (c.kind === 'create_table') {
      if (await tableExists(conn, db, c.table)) throw new Error(`Table ${c.table} already exists in ${db}; the deploy request expects to create it. Refresh the deploy request against the current schema.`);
    } else if (!(await tableExists(conn, db, c.table))) {
      throw new Error(`Table ${c.table} does not exist in ${db}; the deploy request expects to ${c.kind === 'drop_table' ? 'drop' : 'alter'} it. Refresh the deploy request against the current schema.`);
    }
    if (c.kind === 'alter_table') await buildShadow(conn, db, id, c, base);
    out.push(base);
  }
  return out;
}

async function buildShadow(conn: Connection, db: string, id: number, c: SchemaChange, t: TableRecord): Promise<void> {
  if (!c.alterSpec) throw new Error(`The change to ${c.table} has no alterSpec; the online migration needs the ALTER clauses.`);
  // A shadow left by a prepare that died before it was recorded is ours by name: start it again.
  await conn.query(dropTable(db, t.shadow));
  await conn.query(createShadowTable(db, t.shadow, c.table));
  try {
    // The shadow has no foreign keys (LIKE copies none): their clauses are applied after the swap instead.
    const spec = c.shadowSpec ?? c.alterSpec;
    if (spec.trim()) await conn.query(alterShadowTable(db, t.shadow, spec));
    const live = await liveForeignKeys(conn, db, c.table);
    t.foreignKeys = { before: live.outgoing, after: keysAfter(c, live.outgoing), incoming: live.incoming };
    await indexForeignKeysOnShadow(conn, db, t.shadow, t.foreignKeys.after);
    const before = await liveColumns(conn, db, c.table);
    const after = await liveColumns(conn, db, t.shadow);
    // Early word on rows that already violate a key the change adds over existing columns (all are checked again before the swap).
    const has = new Set(before.map((x) => x.name.toLowerCase()));
    const checkable = t.foreignKeys.after.filter((k) => k.columns.every((col) => has.has(col.toLowerCase())));
    const violated = await orphanProblems(conn, db, c.table, c.table, checkable, t.foreignKeys.before, new Map());
    if (violated.length) throw new ForeignKeyViolation('Prepare', violated);
    t.key = await sharedKey(conn, db, c.table, t.shadow);
    t.forwardColumns = commonColumns(before, after);
    t.backColumns = commonColumns(after, before);
    t.changelog = changelogName(id, t.position);
    await refuseDuplicatesForNewUniqueKeys(conn, db, c.table, t.shadow, before.map((x) => x.name));
  } catch (err) {
    await conn.query(dropTable(db, t.shadow));
    throw err;
  }
}

/** A unique key the new schema adds would silently drop rows that collide; find one such collision up front. */
async function refuseDuplicatesForNewUniqueKeys(conn: Connection, db: string, original: string, shadow: string, originalColumns: string[]): Promise<void> {
  const had = (await uniqueKeys(conn, db, original)).map((k) => k.columns.join('\0').toLowerCase());
  for (const k of await uniqueKeys(conn, db, shadow)) {
    if (had.includes(k.columns.join('\0').toLowerCase())) continue;
    if (!k.columns.every((col) => originalColumns.some((o) => o.toLowerCase() === col.toLowerCase()))) continue;
    const list = k.columns.map(quoteIdent).join(', ');
    const dup = await rows<Record<string, unknown>>(conn, `SELECT ${list}, COUNT(*) AS \`n\` FROM ${quoteQualified(db, original)} GROUP BY ${list} HAVING COUNT(*) > 1 LIMIT 1`);
    if (dup.length) {
      throw new Error(`The new unique key ${k.name} on ${original} (${k.columns.join(', ')}) is violated by existing rows (e.g. ${JSON.stringify(dup[0])}). Remove the duplicates first, then deploy again.`);
    }
  }
}

export async function createChangelogs(conn: Connection, tables: TableRecord[]): Promise<void> {
  for (const t of tables) if (t.changelog) await conn.query(createChangelog(METADATA_DB, t.changelog, t.key));
}

/**
 * Creates only the capture triggers that are missing, never dropping one that
 * exists: a prepare that died half-way leaves some, and dropping a live
 * trigger even for a moment would let a write go uncaptured.
 */
export async function ensureOldSchemaTriggers(conn: Connection, db: string, id: number, t: TableRecord, attempts: number): Promise<void> {
  const have = new Set((await rows<{ n: string }>(conn, 'SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?', [db, t.table])).map((r) => r.n));
  const missing = EVENTS.filter((e) => !have.has(triggerName(id, t.position, 'o', e)));
  if (missing.length) await createTriggers(conn, db, id, t, 'old-schema', t.table, attempts, missing);
}

/** Capture triggers on one side. DDL on a busy table waits for its metadata lock: retry with back-off rather than hold the queue. */
export async function createTriggers(conn: Connection, db: string, id: number, t: TableRecord, on: 'old-schema' | 'new-schema', tableName: string, attempts: number, events: TriggerEvent[] = EVENTS): Promise<void> {
  const role = on === 'old-schema' ? 'o' : 'n';
  for (const event of events) {
    const trigger = triggerName(id, t.position, role, event);
    const sql = createCaptureTrigger({ db, table: tableName, trigger, event, metaDb: METADATA_DB, changelog: t.changelog!, side: role === 'o' ? 1 : 2, key: t.key.map((k) => k.name) });
    for (let attempt = 1; ; attempt++) {
      try {
        // Each waits for the table to be free rather than making its writes queue behind the DDL.
        await runDdlPolitely(conn, db, tableName, dropTrigger(db, trigger), `Replacing the capture trigger ${trigger}`);
        await runDdlPolitely(conn, db, tableName, sql, `Creating the capture trigger ${trigger}`);
        break;
      } catch (err) {
        if (errno(err) !== 1205 || attempt >= attempts) throw err;
        await sleep(250 * attempt);
      }
    }
  }
}

export async function dropTriggers(conn: Connection, db: string, id: number, t: TableRecord, roles: ('o' | 'n')[] = ['o', 'n']): Promise<void> {
  for (const role of roles) for (const event of EVENTS) await conn.query(dropTrigger(db, triggerName(id, t.position, role, event)));
}
