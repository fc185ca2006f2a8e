/**
 * The real collaborators: the live schema reader, the diff, deploy-time lint
 * and the online migration engine. The one file that binds deploy requests
 * to those modules, so tests or another host can replace any of them.
 */
import { readLiveSchema } from '../db/introspect.js';
import { diffSchemas } from '../diff/index.js';
import { isDeployable, lintChanges, lintSchema } from '../lint/index.js';
import { OnlineMigration } from '../migration/index.js';
import type { DeployCollaborators } from './core.js';
import type { MigrationEngine } from './migration-port.js';

export function defaultCollaborators(): DeployCollaborators {
  const migrations: MigrationEngine = {
    prepare: (target, database, id, changes, opts) => OnlineMigration.prepare(target, database, id, changes, opts),
    load: (target, id) => OnlineMigration.load(target, id),
  };
  return {
    // The migration engine's helper tables (`_t_sb3_new`, `_t_sb3_old`) are not part of anyone's schema.
    readLiveSchema: async (conn, database) => withoutHelperTables(await readLiveSchema(conn, database)),
    diffSchemas: (from, to) => diffSchemas(from, to),
    lint: (branch, changes, config) => [...lintChanges(changes, config), ...lintSchema(branch, config)],
    isDeployable,
    migrations,
  };
}

export function withoutHelperTables<S extends { tables: Array<{ name: string }> }>(schema: S): S {
  return { ...schema, tables: schema.tables.filter((t) => !/^_.*_sb\d+_(new|old)$/.test(t.name)) };
}
