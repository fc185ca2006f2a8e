/**
 * The real collaborators: the live schema reader, the diff, deploy-time lint
 * and the online migration engine. The one file that binds deploy requests
 * to those modules, so tests or another host can replace any of them.
 */
import { withoutEngineTables } from '../branch/engine-tables.js';
// mysql2's overloaded query() does not match the reader's minimal Queryable type; at run time it is exactly that.
import { readLiveSchema, type Queryable } from '../db/introspect.js';
import { diffSchemas } from '../diff/index.js';
import { isDeployable, lintChanges, lintSchema } from '../lint/index.js';
import { OnlineMigration } from '../migration/index.js';
import { onlineProblems } from '../migration/preflight.js';
import type { Schema } from '../schema/model.js';
import type { DeployCollaborators } from './core.js';
import type { MigrationEngine } from './migration-port.js';

export function defaultCollaborators(): DeployCollaborators {
  const migrations: MigrationEngine = {
    prepare: (target, database, id, changes, opts) => OnlineMigration.prepare(target, database, id, changes, opts),
    load: async (target, id, opts) => {
      const m = await OnlineMigration.load(target, id, opts);
      if (!m) throw new Error(`The online migration #${id} is not recorded on the server (_schemabranch.migration_runs): it cannot be resumed, cut over or reverted from here.`);
      return m;
    },
    onlineProblems,
  };
  return {
    // The migration engine's helper tables (`t_sb3_new`, `t_sb3_old`) are not part of anyone's schema.
    readLiveSchema: async (conn, database) => withoutHelperTables(withoutEngineTables(await readLiveSchema(conn as unknown as Queryable, database))),
    // One alter per table: the online migration moves a table's foreign keys itself (shadowSpec + foreignKeys).
    diffSchemas: (from, to) => diffSchemas(from, to, { onePerTable: true }),
    lint: (branch, changes, config) => [...lintChanges(changes, config), ...lintSchema(branch, config)],
    isDeployable,
    migrations,
  };
}

/**
 * The names engine/src/migration/names.ts derives today (`<table>_sb<id>_new|old`,
 * `~<prefix>_<hash>_sb<id>_new|old` when long); branch/engine-tables.ts still
 * knows the older `_<table>_sb<id>_<role>` form, which it filters itself.
 */
const HELPER_TABLE = /^~?.+_sb\d+_(new|old)$/;

export function isHelperTable(name: string): boolean {
  return HELPER_TABLE.test(name);
}

function withoutHelperTables(schema: Schema): Schema {
  return { ...schema, tables: schema.tables.filter((t) => !isHelperTable(t.name)) };
}
