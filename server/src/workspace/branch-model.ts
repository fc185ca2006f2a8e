/**
 * A branch as one schema: every file of schema/<branch>/ combined, with the
 * name lookups navigation needs. Built from cached per-file parses, so
 * rebuilding after a keystroke is cheap.
 */
import type { Schema, Table } from '../engine.js';
import type { ParsedDocument } from './documents.js';

export interface TableDefinition {
  table: Table;
  parsed: ParsedDocument;
}

export interface BranchModel {
  branch: string | undefined;
  files: ParsedDocument[];
  /** Tables as parsed now, first definition of each name, in file order: what lint and diff see. */
  schema: Schema;
  /** Every definition of each name, including duplicates. */
  definitions: Map<string, TableDefinition[]>;
  /**
   * Names known to exist, including tables of files that are mid-edit (from
   * their last good parse), so a half-typed file does not make every foreign
   * key to it an error elsewhere.
   */
  known: Map<string, Table>;
  /** Files whose parse failed: the diff ignores what they would declare. */
  brokenFiles: string[];
}

export function buildBranchModel(branch: string | undefined, files: ParsedDocument[], lastGood: (path: string) => Table[] | undefined): BranchModel {
  const sorted = [...files].sort((a, b) => (a.doc.path < b.doc.path ? -1 : a.doc.path > b.doc.path ? 1 : 0));
  const definitions = new Map<string, TableDefinition[]>();
  const known = new Map<string, Table>();
  const tables: Table[] = [];
  const brokenFiles: string[] = [];
  for (const parsed of sorted) {
    if (parsed.broken) brokenFiles.push(parsed.doc.path);
    for (const table of parsed.tables) {
      const defs = definitions.get(table.name);
      if (defs) defs.push({ table, parsed });
      else {
        definitions.set(table.name, [{ table, parsed }]);
        tables.push(table);
        known.set(table.name, table);
      }
    }
  }
  for (const parsed of sorted) {
    if (!parsed.broken) continue;
    for (const table of lastGood(parsed.doc.path) ?? []) if (!known.has(table.name)) known.set(table.name, table);
  }
  return { branch, files: sorted, schema: { tables }, definitions, known, brokenFiles };
}
