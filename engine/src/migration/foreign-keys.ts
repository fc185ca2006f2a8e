/**
 * Foreign keys across a table swap. InnoDB keys follow a RENAME: after the
 * cut-over a child's key points at `<t>_sb<id>_old`, and the shadow (made with
 * CREATE TABLE ... LIKE) has none of its own. Right after each swap the engine
 * moves the table's own keys from the table set aside to the live one and
 * re-points the children at the live name. With foreign_key_checks = 0 both are
 * metadata-only changes. Every step checks the server first, so recovery can
 * run it again after a crash at any point.
 */
import type { Connection } from 'mysql2/promise';
import type { SchemaChange } from '../diff/change.js';
import { tableExists } from './inspect.js';
import { isMigrationHelperTable } from './names.js';
import { rows } from './session.js';
import { addForeignKey, addKey, dropForeignKey, findOrphan, READ_CROSS_DATABASE_FOREIGN_KEYS, READ_FOREIGN_KEYS, type MovedForeignKey } from './sql.js';

export class ForeignKeyViolation extends Error {
  /** Nothing was swapped: once the rows are fixed, trying again is safe. */
  readonly retrySafe = true;
  constructor(
    step: string,
    readonly problems: string[],
  ) {
    super(`${step} refused: ${problems.join(' ')} Fix or delete those rows (or add the missing parents), then try again; nothing was swapped, retry is safe.`);
  }
}

export interface ForeignKeyPlan {
  /** The table's own keys before the change (as the server had them at prepare). */
  before: MovedForeignKey[];
  /** The table's own keys after the change. */
  after: MovedForeignKey[];
  /** Other tables' keys referencing this table, read just before the latest swap. */
  incoming: MovedForeignKey[];
}

/** The table's own keys (`outgoing`) and those of other tables referencing it (`incoming`), same database only. */
export async function liveForeignKeys(conn: Connection, db: string, table: string): Promise<{ outgoing: MovedForeignKey[]; incoming: MovedForeignKey[] }> {
  const r = await rows<{ name: string; tbl: string; ref: string; del: string; upd: string; col: string; refCol: string }>(conn, READ_FOREIGN_KEYS, [db, table, table]);
  const byKey = new Map<string, MovedForeignKey>();
  for (const x of r) {
    const id = `${x.tbl}\0${x.name}`;
    const fk = byKey.get(id) ?? { table: x.tbl, name: x.name, columns: [], refTable: x.ref, refColumns: [], onDelete: x.del, onUpdate: x.upd };
    fk.columns.push(x.col);
    fk.refColumns.push(x.refCol);
    byKey.set(id, fk);
  }
  const all = [...byKey.values()];
  return { outgoing: all.filter((k) => k.table === table), incoming: all.filter((k) => k.table !== table && k.refTable === table) };
}

/** The keys the table has after the change: the `after` model when it names every key, else the live keys minus dropped plus added. */
export function keysAfter(change: SchemaChange, before: MovedForeignKey[]): MovedForeignKey[] {
  const own = (k: { name: string; columns: string[]; refTable: string; refColumns: string[]; onDelete?: string; onUpdate?: string }): MovedForeignKey => ({
    table: change.table,
    name: k.name,
    columns: [...k.columns],
    refTable: k.refTable,
    refColumns: [...k.refColumns],
    onDelete: k.onDelete,
    onUpdate: k.onUpdate,
  });
  if (change.after && change.after.foreignKeys.every((k) => k.name)) return change.after.foreignKeys.map(own);
  const dropped = new Set((change.foreignKeys?.dropped ?? []).map((k) => k.name.toLowerCase()));
  const kept = before.filter((k) => !dropped.has(k.name.toLowerCase()));
  return [...kept, ...(change.foreignKeys?.added ?? []).map(own)];
}

/** Children to re-point: leave out the engine's helper tables and tables this migration swaps itself (their own keys move with them). */
export function childrenToRepoint(incoming: MovedForeignKey[], swapped: string[]): MovedForeignKey[] {
  const mine = new Set(swapped.map((t) => t.toLowerCase()));
  return incoming.filter((k) => !isMigrationHelperTable(k.table) && !mine.has(k.table.toLowerCase()));
}

/** Which table a named key on `table` references now, or undefined when the table has no such key. */
async function referencedBy(conn: Connection, db: string, table: string, name: string): Promise<string | undefined> {
  const r = await rows<{ ref: string }>(conn, 'SELECT REFERENCED_TABLE_NAME AS ref FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = ?', [db, table, name]);
  return r[0]?.ref;
}

/** Sets a key so it references `refTable`: nothing when it already does; a drop and an add (two statements: one ALTER with both fails with errno 121). */
async function ensureKey(conn: Connection, db: string, table: string, fk: MovedForeignKey, refTable: string): Promise<void> {
  const now = await referencedBy(conn, db, table, fk.name);
  if (now === refTable) return;
  if (now !== undefined) await conn.query(dropForeignKey(db, table, fk.name));
  await conn.query(addForeignKey(db, table, { ...fk, refTable }));
}

async function withoutForeignKeyChecks<T>(conn: Connection, fn: () => Promise<T>): Promise<T> {
  await conn.query('SET SESSION foreign_key_checks = 0');
  try {
    return await fn();
  } finally {
    await conn.query('SET SESSION foreign_key_checks = 1');
  }
}

/**
 * Before a swap (under its locks) with `to` the table about to take the
 * user's name, or after one with `to` the user's name: the table that gives up the name
 * (`from`) gives up its own keys (names are unique per database), `to` gets
 * the keys of the schema it holds, and the children are pointed at `to`.
 */
export async function moveForeignKeys(
  conn: Connection,
  db: string,
  p: { from: string; fromKeys: MovedForeignKey[]; to: string; toKeys: MovedForeignKey[]; children: MovedForeignKey[]; refs?: Map<string, string> },
): Promise<void> {
  if (!p.fromKeys.length && !p.toKeys.length && !p.children.length) return;
  await withoutForeignKeyChecks(conn, async () => {
    // Children first: they are what the application writes through.
    for (const fk of p.children) await ensureKey(conn, db, fk.table, fk, p.to);
    for (const fk of p.fromKeys) if ((await referencedBy(conn, db, p.from, fk.name)) !== undefined) await conn.query(dropForeignKey(db, p.from, fk.name));
    // Keys follow a RENAME: before the swap a key must name the table that will carry the referenced name after it.
    for (const fk of p.toKeys) await ensureKey(conn, db, p.to, fk, p.refs?.get(fk.refTable) ?? fk.refTable);
  });
}

/** An added key whose columns no index starts with would make the server build one on the live table after the swap: build it on the shadow instead. */
export async function indexForeignKeysOnShadow(conn: Connection, db: string, shadow: string, keys: MovedForeignKey[]): Promise<void> {
  const r = await rows<{ i: string; c: string }>(conn, 'SELECT INDEX_NAME AS i, COLUMN_NAME AS c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX', [db, shadow]);
  const indexes = new Map<string, string[]>();
  for (const x of r) indexes.set(x.i, [...(indexes.get(x.i) ?? []), x.c.toLowerCase()]);
  for (const fk of keys) {
    const want = fk.columns.map((c) => c.toLowerCase());
    if ([...indexes.values()].some((cols) => want.every((c, i) => cols[i] === c))) continue;
    await conn.query(addKey(db, shadow, fk.name, fk.columns));
    indexes.set(fk.name, want);
  }
}

/**
 * What the engine cannot move yet: keys that cross databases (an altered or
 * dropped table), and children of a dropped table that the migration does not
 * also drop. Refused before anything is built, so nothing needs undoing.
 */
export async function refuseUnmovableForeignKeys(conn: Connection, db: string, change: SchemaChange, droppedTables: string[]): Promise<void> {
  const refuse = (name: string, child: string, parent: string, what: string): never => {
    throw new Error(`schemabranch cannot yet migrate ${change.table} online because of foreign key ${name} (${child} -> ${parent}); ${what}`);
  };
  if (change.kind === 'create_table') return;
  const cross = await rows<{ name: string; cs: string; ct: string; ps: string; pt: string }>(conn, READ_CROSS_DATABASE_FOREIGN_KEYS, [db, change.table, db, db, change.table, db]);
  for (const k of cross) {
    refuse(k.name, `${k.cs}.${k.ct}`, `${k.ps}.${k.pt}`, 'keys between databases do not follow the table swap. Drop that key in a deploy of its own, deploy this change, then add the key back.');
  }
  if (change.kind !== 'drop_table') return;
  const dropped = new Set(droppedTables.map((t) => t.toLowerCase()));
  for (const k of (await liveForeignKeys(conn, db, change.table)).incoming) {
    if (dropped.has(k.table.toLowerCase())) continue;
    refuse(k.name, k.table, change.table, `${k.table} still references the table to be dropped. Drop the key (or ${k.table}) first in a deploy of its own, then drop ${change.table}.`);
  }
}

const sameKey = (a: MovedForeignKey, b: MovedForeignKey): boolean =>
  a.name.toLowerCase() === b.name.toLowerCase() &&
  a.refTable.toLowerCase() === b.refTable.toLowerCase() &&
  a.columns.join('\0').toLowerCase() === b.columns.join('\0').toLowerCase() &&
  a.refColumns.join('\0').toLowerCase() === b.refColumns.join('\0').toLowerCase();

/**
 * Keys are added with foreign_key_checks = 0, which checks no row; so a key
 * the swap introduces (`keys` minus `had`) is checked here first against the
 * table about to take the name (`table`), parents named as they are now (`refs`).
 * Returns one problem per violated key.
 */
export async function orphanProblems(conn: Connection, db: string, owner: string, table: string, keys: MovedForeignKey[], had: MovedForeignKey[], refs: Map<string, string>): Promise<string[]> {
  const out: string[] = [];
  for (const fk of keys) {
    if (had.some((h) => sameKey(h, fk))) continue;
    const parent = refs.get(fk.refTable) ?? fk.refTable;
    // A parent created by this same migration does not exist before the swap: nothing to check against yet.
    if (!(await tableExists(conn, db, parent))) continue;
    const r = await rows<Record<string, unknown>>(conn, findOrphan(db, table, { ...fk, refTable: parent }));
    if (r.length) out.push(`Foreign key ${fk.name} (${owner} -> ${fk.refTable}) is violated by ${owner} row ${JSON.stringify(r[0])}: no such ${fk.refTable} row.`);
  }
  return out;
}
