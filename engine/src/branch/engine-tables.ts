import { isMigrationHelperTable } from '../migration/names.js';
import type { Schema } from '../schema/model.js';

/**
 * Tables an online migration keeps beside the user's tables (shadow table,
 * old table during the revert window): never part of a branch. The migration
 * module owns their names.
 */
export function isEngineTable(name: string): boolean {
  return isMigrationHelperTable(name);
}

export function withoutEngineTables(schema: Schema): Schema {
  return { ...schema, tables: schema.tables.filter((t) => !isEngineTable(t.name)) };
}
