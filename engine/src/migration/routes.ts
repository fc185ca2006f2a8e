/** Which physical table holds which schema, and the drain routes between them, for each phase. */
import type { DrainRoute } from './drain.js';
import type { SwapPlan } from './cutover.js';
import { METADATA_DB } from './names.js';
import type { TableRecord } from './store.js';

/** Keys changed in the old-schema table, applied to the new-schema one. `cutOver`: whether the user's name now holds the new schema. */
export function forwardRoute(db: string, t: TableRecord, cutOver: boolean): DrainRoute {
  return { db, changelog: t.changelog!, key: t.key.map((k) => k.name), side: 1, from: cutOver ? t.old : t.table, to: cutOver ? t.table : t.shadow, columns: t.forwardColumns, replace: true };
}

/** Keys changed in the new-schema table (the revert window), applied to the old-schema one. */
export function backRoute(db: string, t: TableRecord): DrainRoute {
  return { db, changelog: t.changelog!, key: t.key.map((k) => k.name), side: 2, from: t.table, to: t.old, columns: t.backColumns, replace: false };
}

export function forwardRenames(tables: TableRecord[]): SwapPlan['renames'] {
  const out: SwapPlan['renames'] = [];
  for (const t of tables) {
    if (t.kind === 'alter_table') out.push({ from: t.table, to: t.old }, { from: t.shadow, to: t.table });
    else if (t.kind === 'drop_table') out.push({ from: t.table, to: t.old });
  }
  return out;
}

export function reverseRenames(tables: TableRecord[]): SwapPlan['renames'] {
  const out: SwapPlan['renames'] = [];
  for (const t of tables) {
    if (t.kind === 'alter_table') out.push({ from: t.table, to: t.shadow }, { from: t.old, to: t.table });
    else if (t.kind === 'drop_table') out.push({ from: t.old, to: t.table });
    else out.push({ from: t.table, to: t.shadow });
  }
  return out;
}

export function forwardLocks(db: string, tables: TableRecord[]): SwapPlan['lock'] {
  const out: SwapPlan['lock'] = [];
  for (const t of tables) {
    if (t.kind === 'alter_table') out.push({ db, name: t.table }, { db, name: t.shadow }, { db: METADATA_DB, name: t.changelog! });
    else if (t.kind === 'drop_table') out.push({ db, name: t.table });
  }
  return out;
}

export function reverseLocks(db: string, tables: TableRecord[]): SwapPlan['lock'] {
  const out: SwapPlan['lock'] = [];
  for (const t of tables) {
    if (t.kind === 'alter_table') out.push({ db, name: t.table }, { db, name: t.old }, { db: METADATA_DB, name: t.changelog! });
    else if (t.kind === 'drop_table') out.push({ db, name: t.old });
    else out.push({ db, name: t.table });
  }
  return out;
}
