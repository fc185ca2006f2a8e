/**
 * The slice of the engine the language server uses, behind one interface so
 * handlers can be tested with the real engine and the server never reaches
 * into engine internals from more than one place.
 */
import type { SchemaChange } from '../../engine/src/diff/change.js';
import { diffSchemas, diffTables } from '../../engine/src/diff/index.js';
import { sameObject } from '../../engine/src/diff/objects.js';
import { starViewsRedefined } from '../../engine/src/diff/star-views.js';
import { lintChanges, lintSchema } from '../../engine/src/lint/index.js';
import type { LintConfig, Violation } from '../../engine/src/lint/violation.js';
import type { Schema, SchemaObject, Table } from '../../engine/src/schema/model.js';
import { normalizeTable, type ServerDefaults } from '../../engine/src/schema/normalize.js';
import { parseSchemaFile } from '../../engine/src/schema/parse.js';
import type { SchemaProblem } from '../../engine/src/schema/problems.js';
import { renderCreateTable } from '../../engine/src/sql/ddl.js';

export type { SchemaChange, Violation, Schema, SchemaObject, Table, SchemaProblem, LintConfig, ServerDefaults };

export interface ParsedSchemaFile {
  tables: Table[];
  /** Views, triggers, routines and events, in file order. */
  objects: SchemaObject[];
  problems: SchemaProblem[];
}

export interface SchemaEngine {
  parseFile(file: string, text: string): ParsedSchemaFile;
  /**
   * `sources`: file -> text, so rules can offer token-precise fixes. `branchNames`: the
   * lower-case table and view names of the whole branch when `schema` is one file of it.
   */
  lint(schema: Schema, config: LintConfig, sources: Record<string, string>, branchNames?: ReadonlySet<string>): Violation[];
  lintChanges(changes: SchemaChange[], config: LintConfig): Violation[];
  diff(from: Schema, to: Schema): SchemaChange[];
  /** One table's ALTER (undefined when equal): cheap enough to run per table on every edit. */
  diffTable(from: Table, to: Table): SchemaChange | undefined;
  /** Whether the diff leaves a view, trigger, routine or event alone (files: by their text as written, comments and spacing aside). */
  sameObject(from: SchemaObject, to: SchemaObject): boolean;
  /** Views of `to` the diff redefines though their text is the same: their `*` reads a table whose columns changed. */
  starViewsRedefined(from: Schema, to: Schema): ReadonlySet<SchemaObject>;
  renderCreateTable(table: Table): string;
  /** The table as a server with these defaults would store it, so files and live schemas compare equal. */
  normalizeTable(table: Table, defaults: ServerDefaults): Table;
}

export const engine: SchemaEngine = {
  parseFile: (file, text) => parseSchemaFile(file, text),
  lint: (schema, config, sources, branchNames) => lintSchema(schema, config, undefined, sources, branchNames),
  lintChanges: (changes, config) => lintChanges(changes, config),
  diff: (from, to) => diffSchemas(from, to),
  diffTable: (from, to) => diffTables(from, to),
  sameObject: (from, to) => sameObject(from, to),
  starViewsRedefined: (from, to) => starViewsRedefined(from, to, sameObject),
  renderCreateTable: (table) => renderCreateTable(table),
  normalizeTable: (table, defaults) => normalizeTable(table, defaults),
};
