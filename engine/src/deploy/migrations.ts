/**
 * Deploy requests drive the online migration engine (engine/src/migration/)
 * directly. The one seam left is how a migration is started or found again:
 * tests wrap the real engine there, to make one step fail the way a lost
 * connection would.
 */
import type { SchemaChange } from '../diff/change.js';
import type { ServerTarget } from '../db/target.js';
import { OnlineMigration, type MigrationOptions } from '../migration/index.js';

export interface MigrationEngine {
  prepare(target: ServerTarget, database: string, id: number, changes: SchemaChange[], opts?: MigrationOptions): Promise<OnlineMigration>;
  load(target: ServerTarget, id: number, opts?: MigrationOptions): Promise<OnlineMigration>;
}

/** The online migration engine itself. */
export const onlineMigrations: MigrationEngine = {
  prepare: (target, database, id, changes, opts) => OnlineMigration.prepare(target, database, id, changes, opts),
  load: async (target, id, opts) => {
    const m = await OnlineMigration.load(target, id, opts);
    if (!m) throw new Error(`The online migration #${id} is not recorded on the server (_schemabranch.migration_runs): it cannot be resumed, cut over or reverted from here.`);
    return m;
  },
};
