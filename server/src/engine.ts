/**
 * The slice of the engine the language server uses, behind one interface so
 * handlers can be tested with the real engine and the server never reaches
 * into engine internals from more than one place.
 */
import type { SchemaChange } from '../../engine/src/diff/change.js';
import { diffSchemas, diffTables } from '../../engine/src/diff/index.js';
import { lintChanges, lintSchema } from '../../engine/src/lint/index.js';
import type { LintConfig, Violation } from '../../engine/src/lint/violation.js';
import type { Schema, Table } from '../../engine/src/schema/model.js';
import { normalizeTable, type ServerDefaults } from '../../engine/src/schema/normalize.js';
import { parseSchemaFile } from '../../engine/src/schema/parse.js';
import type { SchemaProblem } from '../../engine/src/schema/problems.js';
import { renderCreateTable } from '../../engine/src/sql/ddl.js';

export type { SchemaChange, Violation, Schema, Table, SchemaProblem, LintConfig, ServerDefaults };

export interface ParsedSchemaFile {
  tables: Table[];
  problems: SchemaProblem[];
}

export interface SchemaEngine {
  parseFile(file: string, text: string): ParsedSchemaFile;
  /** `sources`: file -> text, so rules can offer token-precise fixes. */
  lint(schema: Schema, config: LintConfig, sources: Record<string, string>): Violation[];
  lintChanges(changes: SchemaChange[], config: LintConfig): Violation[];
  diff(from: Schema, to: Schema): SchemaChange[];
  /** One table's ALTER (undefined when equal): cheap enough to run per table on every edit. */
  diffTable(from: Table, to: Table): SchemaChange | undefined;
  renderCreateTable(table: Table): string;
  /** The table as a server with these defaults would store it, so files and live schemas compare equal. */
  normalizeTable(table: Table, defaults: ServerDefaults): Table;
}

export const engine: SchemaEngine = {
  parseFile: (file, text) => parseSchemaFile(file, text),
  lint: (schema, config, sources) => lintSchema(schema, config, undefined, sources),
  lintChanges: (changes, config) => lintChanges(changes, config),
  diff: (from, to) => diffSchemas(from, to),
  diffTable: (from, to) => diffTables(from, to),
  renderCreateTable: (table) => renderCreateTable(table),
  normalizeTable: (table, defaults) => normalizeTable(table, defaults),
};
