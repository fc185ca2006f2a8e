import { createHash } from 'node:crypto';

/**
 * Names of the tables a migration adds beside the user's tables. They are
 * derived (never stored alone) so a restarted process finds them from the id
 * and the table name, and they stay under MySQL's 64-character limit.
 */
export const METADATA_DB = '_schemabranch';

/**
 * `<table>_sb<id>_<suffix>`: the user's name is a prefix, so in the server's
 * metadata-lock order (byte order of the name) every derived name sorts after
 * the user's table. The cut-over depends on that: the RENAME queues first on
 * the user's table, ahead of the application's waiting writes.
 * Names too long for that get a `~` prefix, which sorts after ASCII letters.
 */
function derived(table: string, id: number, suffix: string): string {
  const full = `${table}_sb${id}_${suffix}`;
  if (full.length <= 64) return full;
  const hash = createHash('sha1').update(table).digest('hex').slice(0, 12);
  return `~${table.slice(0, 64 - `~_${hash}_sb${id}_${suffix}`.length)}_${hash}_sb${id}_${suffix}`;
}

/** The table with the new schema while rows are copied; after a revert the new-schema table goes back to this name. */
export function shadowName(table: string, id: number): string {
  return derived(table, id, 'new');
}

/** Where the old-schema table waits during the revert window. */
export function oldName(table: string, id: number): string {
  return derived(table, id, 'old');
}

/** One changelog per migrated table, in the metadata database: a fixed name the triggers can always resolve. */
export function changelogName(id: number, position: number): string {
  return `migration_${id}_changelog_${position}`;
}

/** Trigger names: one per (table role, event). Role 'o' = old-schema table, 'n' = new-schema table. */
export function triggerName(id: number, position: number, role: 'o' | 'n', event: 'ins' | 'upd' | 'del'): string {
  return `_sb${id}_${position}_${role}_${event}`;
}

/** Whether a trigger is one of the engine's capture triggers (of any migration), not the user's. */
export function isEngineTrigger(name: string): boolean {
  return /^_sb\d+_\d+_[on]_(ins|upd|del)$/.test(name);
}

/** The session variable the engine's own connections set so their writes are not captured. */
export const ENGINE_SESSION_VAR = '@schemabranch_engine';

/** Whether a table name is one of the engine's helper tables (shadow, old, or sentry), which belong to no one's schema. */
export function isMigrationHelperTable(name: string): boolean {
  return /^~?.+_sb\d+_(new|old)$/.test(name);
}
