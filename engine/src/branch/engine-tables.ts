import { isMigrationHelperTable } from '../migration/names.js';
import type { Schema } from '../schema/model.js';

/**
 * Tables an online migration keeps beside the user's tables (shadow table,
 * old table during the revert window): never part of a branch. The migration
 * module owns their names; the older `_<table>_sb<id>_<role>` form is still
 * recognised so databases migrated by earlier builds stay clean.
 */
const LEGACY_ENGINE_TABLE = /^_.+_sb\d+_[a-z]+$/;

export function isEngineTable(name: string): boolean {
  return isMigrationHelperTable(name) || LEGACY_ENGINE_TABLE.test(name);
}

export function withoutEngineTables(schema: Schema): Schema {
  return { ...schema, tables: schema.tables.filter((t) => !isEngineTable(t.name)) };
}
