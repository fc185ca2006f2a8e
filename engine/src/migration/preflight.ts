/**
 * What an online migration cannot do correctly, found before anything is
 * built: a refused deploy leaves main exactly as it was. Each check names the
 * table, the key or trigger, and what to do instead.
 */
import type { Connection } from 'mysql2/promise';
import type { SchemaChange } from '../diff/change.js';
import { rowKeys, whyNotRowKey } from '../schema/row-key.js';
import { keysAfter, liveForeignKeys, refuseUnmovableForeignKeys } from './foreign-keys.js';
import { keyCandidates, liveColumns, tableExists } from './inspect.js';
import type { MovedForeignKey } from './sql.js';
import { planTriggers, triggerProblems } from './trigger-move.js';

export class MigrationRefused extends Error {
  /** Nothing was built: once the cause is removed, deploying again is safe. */
  readonly retrySafe = true;
  constructor(readonly problems: string[]) {
    super(`This deploy cannot run online; nothing was built and main is unchanged:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MigrationRefused';
  }
}

/** Referential actions the server carries out itself, firing no trigger: the copy cannot see them. */
const HIDDEN_ACTIONS = ['CASCADE', 'SET NULL', 'SET DEFAULT'];

/** Every reason the changes cannot run online, for every table of the request; empty when they can. */
export async function onlineProblems(conn: Connection, db: string, changes: SchemaChange[]): Promise<string[]> {
  const out: string[] = [];
  const dropped = changes.filter((x) => x.kind === 'drop_table').map((x) => x.table);
  for (const c of changes) {
    if (c.object) continue;
    try {
      await refuseUnmovableForeignKeys(conn, db, c, dropped);
    } catch (err) {
      out.push(err instanceof Error ? err.message : String(err));
    }
    // Only an altered table is copied; a missing one is the prepare's own clear error.
    if (c.kind !== 'alter_table' || !(await tableExists(conn, db, c.table))) continue;
    out.push(...(await rowKeyProblems(conn, db, c)));
    out.push(...(await cascadeProblems(conn, db, c)));
  }
  // The user's triggers move to the new table at the cut-over (trigger-move.ts): each must fit it.
  const live = [];
  for (const c of changes) if (c.kind === 'alter_table' && (await tableExists(conn, db, c.table))) live.push(c);
  out.push(...(await triggerProblems(conn, db, live, await planTriggers(conn, db, [...live, ...changes.filter((c) => c.object)]))));
  return out;
}

/** Throws MigrationRefused naming every problem, before the caller builds anything. */
export async function refuseWhatCannotRunOnline(conn: Connection, db: string, changes: SchemaChange[]): Promise<void> {
  const problems = await onlineProblems(conn, db, changes);
  if (problems.length) throw new MigrationRefused(problems);
}

async function rowKeyProblems(conn: Connection, db: string, c: SchemaChange): Promise<string[]> {
  const live = await keyCandidates(conn, db, c.table);
  const usable = live.filter((k) => whyNotRowKey(k) === undefined);
  if (!usable.length) {
    const primary = live.find((k) => k.primary);
    const why = primary ? whyNotRowKey(primary)! : 'it has no primary key and no unique key on NOT NULL columns';
    return [
      `Table ${c.table} cannot be changed online: ${why}, so its rows cannot be copied in chunks or matched between the old and the new table. ` +
        'Give it a primary key on whole NOT NULL columns first (a plain ALTER TABLE outside schemabranch, which blocks writes while it runs), then deploy this change.',
    ];
  }
  if (!c.after) return [];
  const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]!.toLowerCase());
  const kept = rowKeys(c.after).some((k) => usable.some((u) => same(k.parts.map((p) => p.column), u.parts.map((p) => p.column))));
  if (kept) return [];
  return [
    `Table ${c.table} cannot be changed online: the new schema keeps none of the keys that identify its rows today (${usable.map((k) => k.name).join(', ')}), so rows cannot be matched between the old and the new table. ` +
      'Keep the primary key in this change, and change it in a deploy request of its own.',
  ];
}

/**
 * A key whose ON UPDATE / ON DELETE action the server carries out changes
 * this table's rows without firing a trigger: during the copy the shadow
 * misses it, and during the revert window the old table does. Handling it
 * would need the parents' changes captured too; until then, refuse.
 */
async function cascadeProblems(conn: Connection, db: string, c: SchemaChange): Promise<string[]> {
  const before = (await liveForeignKeys(conn, db, c.table)).outgoing;
  const after = keysAfter(c, before);
  const out: string[] = [];
  const seen = new Set<string>();
  const check = (k: MovedForeignKey, when: string): void => {
    for (const [event, action] of [['UPDATE', k.onUpdate], ['DELETE', k.onDelete]] as const) {
      const a = (action ?? '').toUpperCase();
      if (!HIDDEN_ACTIONS.includes(a) || seen.has(`${k.name}\0${event}`)) continue;
      seen.add(`${k.name}\0${event}`);
      out.push(
        `Foreign key ${k.name} (${c.table} -> ${k.refTable}) ${when} ON ${event} ${a}: the server applies it to ${c.table} without firing triggers, ` +
          `so a ${event === 'UPDATE' ? 'key change' : 'delete'} in ${k.refTable} during the copy or the revert window would be missing from the other copy of ${c.table} and be lost or undone at cut-over or revert. ` +
          `Change the key to ON ${event} RESTRICT first (outside schemabranch: with foreign_key_checks=0, DROP FOREIGN KEY and ADD CONSTRAINT change only metadata), then deploy this change.`,
      );
    }
  };
  for (const k of before) check(k, 'is');
  // After the cut-over an action matters only on columns the old table shares (kept in sync for a revert); new columns are not copied back.
  const has = new Set((await liveColumns(conn, db, c.table)).map((x) => x.name.toLowerCase()));
  for (const k of after) if (k.columns.some((col) => has.has(col.toLowerCase()))) check(k, 'would be');
  return out;
}
