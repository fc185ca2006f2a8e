import type { Schema } from '../schema/model.js';

/**
 * Tables an online migration keeps beside the user's tables (shadow, old
 * table during the revert window, cut-over sentry): `_<table>_sb<id>_<role>`,
 * see engine/src/migration/names.ts. They are never part of a branch.
 */
const ENGINE_TABLE = /^_.+_sb\d+_[a-z]+$/;

export function isEngineTable(name: string): boolean {
  return ENGINE_TABLE.test(name);
}

export function withoutEngineTables(schema: Schema): Schema {
  return { ...schema, tables: schema.tables.filter((t) => !isEngineTable(t.name)) };
}
