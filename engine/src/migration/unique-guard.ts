/**
 * The copy and the drain write the shadow with REPLACE, so when the new
 * schema adds a unique key, a duplicate written by the application during the
 * copy silently pushes a row out of the shadow. Prepare refuses duplicates
 * that already exist; this catches those written later, under the cut-over
 * locks after the final drain, when both tables must hold the same rows.
 */
import type { Connection } from 'mysql2/promise';
import { rows } from './session.js';
import { countRows, READ_UNIQUE_INDEXES } from './sql.js';
import type { TableRecord } from './store.js';

export class UniqueKeyCollapse extends Error {
  /** Running the cut-over again fails the same way: the shadow has already lost rows. */
  readonly retrySafe = false;
  constructor(
    readonly table: string,
    readonly keys: string[],
    readonly rowsInTable: number,
    readonly rowsInShadow: number,
  ) {
    super(
      `Cut-over stopped: the new unique key ${keys.join(', ')} on ${table} collapsed rows (${rowsInTable} rows in ${table}, ${rowsInShadow} in the new table): duplicates were written during the copy. ` +
        'Nothing was swapped. Remove the duplicate rows from the table, then abort this migration (safe: the original table is untouched) and deploy again.',
    );
  }
}

async function uniqueIndexes(conn: Connection, db: string, table: string): Promise<Map<string, string>> {
  const out = new Map<string, string[]>();
  for (const r of await rows<{ i: string; c: string }>(conn, READ_UNIQUE_INDEXES, [db, table])) out.set(r.i, [...(out.get(r.i) ?? []), r.c.toLowerCase()]);
  return new Map([...out].map(([name, cols]) => [name, cols.join('\0')]));
}

/** For each altered table, the unique keys the new schema adds (by columns); read before the swap, outside its locks. */
export async function addedUniqueKeys(conn: Connection, db: string, tables: TableRecord[]): Promise<Map<TableRecord, string[]>> {
  const out = new Map<TableRecord, string[]>();
  for (const t of tables) {
    if (t.kind !== 'alter_table') continue;
    const had = new Set((await uniqueIndexes(conn, db, t.table)).values());
    const added = [...(await uniqueIndexes(conn, db, t.shadow))].filter(([, cols]) => !had.has(cols)).map(([name]) => name);
    if (added.length) out.set(t, added);
  }
  return out;
}

/** Under the locks, after the final drain: both tables must hold the same number of rows. Costs a full count of each while writes wait. */
export async function refuseCollapsedRows(a: Connection, db: string, added: Map<TableRecord, string[]>): Promise<void> {
  for (const [t, keys] of added) {
    const [x] = await rows<{ n: string | number }>(a, countRows(db, t.table));
    const [y] = await rows<{ n: string | number }>(a, countRows(db, t.shadow));
    if (Number(x!.n) !== Number(y!.n)) throw new UniqueKeyCollapse(t.table, keys, Number(x!.n), Number(y!.n));
  }
}
