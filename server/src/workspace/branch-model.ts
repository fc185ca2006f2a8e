/**
 * A branch as one schema: every file of schema/<branch>/ combined, with the
 * name lookups navigation needs. Built from cached per-file parses, so
 * rebuilding after a keystroke is cheap.
 */
import { duplicateObjects } from '../../../engine/src/schema/object-checks.js';
import type { Schema, SchemaObject, SchemaProblem, Table } from '../engine.js';
import type { ParsedDocument } from './documents.js';

export interface TableDefinition {
  table: Table;
  parsed: ParsedDocument;
}

export interface BranchModel {
  branch: string | undefined;
  files: ParsedDocument[];
  /**
   * Tables as parsed now, first definition of each name, in file order, and the views,
   * triggers, routines and events the CLI would keep (a second definition of a name is
   * left out, as parseSchemaFiles does): what lint and diff see.
   */
  schema: Schema;
  /** Every definition of each name, including duplicates. */
  definitions: Map<string, TableDefinition[]>;
  /** The objects of `schema` by objectKey. */
  objects: Map<string, SchemaObject>;
  /** A view, trigger, routine or event whose name is taken already, where the second one is written. */
  objectProblems: SchemaProblem[];
  /**
   * Names known to exist, including tables of files that are mid-edit (from
   * their last good parse), so a half-typed file does not make every foreign
   * key to it an error elsewhere.
   */
  known: Map<string, Table>;
  /** Lower-case names of the tables (known) and views: what object lint looks names up in. Built on first use. */
  readonly tableAndViewNames: ReadonlySet<string>;
  /** Files whose parse failed: the diff ignores what they would declare. */
  brokenFiles: string[];
}

/** Which object a definition is, as the diff pairs them: kind and case-insensitive name. */
export function objectKey(kind: SchemaObject['kind'], name: string): string {
  return `${kind}:${name.toLowerCase()}`;
}

export function buildBranchModel(branch: string | undefined, files: ParsedDocument[], lastGood: (path: string) => Table[] | undefined): BranchModel {
  const sorted = [...files].sort((a, b) => (a.doc.path < b.doc.path ? -1 : a.doc.path > b.doc.path ? 1 : 0));
  const definitions = new Map<string, TableDefinition[]>();
  const known = new Map<string, Table>();
  const tables: Table[] = [];
  const written: SchemaObject[] = [];
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
    for (const o of parsed.objects) written.push(o);
  }
  for (const parsed of sorted) {
    if (!parsed.broken) continue;
    for (const table of lastGood(parsed.doc.path) ?? []) if (!known.has(table.name)) known.set(table.name, table);
  }
  // Most branches have no objects: the per-keystroke rebuild then skips the name checks.
  const objectProblems: SchemaProblem[] = [];
  const kept = written.length > 0 ? duplicateObjects(tables, written, objectProblems) : [];
  const objects = new Map(kept.map((o) => [objectKey(o.kind, o.name), o]));
  let names: Set<string> | undefined;
  return {
    branch,
    files: sorted,
    schema: kept.length > 0 ? { tables, objects: kept } : { tables },
    definitions,
    objects,
    objectProblems,
    known,
    get tableAndViewNames() {
      if (names) return names;
      names = new Set([...known.keys()].map((n) => n.toLowerCase()));
      for (const o of kept) if (o.kind === 'view') names.add(o.name.toLowerCase());
      return names;
    },
    brokenFiles,
  };
}
