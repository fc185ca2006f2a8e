import type { SchemaObject, Table } from './model.js';
import type { SchemaProblem } from './problems.js';

/** Views share their names with tables; triggers, procedures, functions and events each have their own. */
function namespaceOf(kind: SchemaObject['kind']): string {
  return kind === 'view' ? 'table' : kind;
}

/**
 * The objects of a branch without the second definition of a name (reported where it is
 * written), so the diff never sees two definitions of one object.
 */
export function duplicateObjects(tables: Table[], objects: SchemaObject[], problems: SchemaProblem[]): SchemaObject[] {
  const seen = new Map<string, { source?: SchemaObject['source']; what: string }>();
  for (const t of tables) seen.set(`table:${t.name.toLowerCase()}`, { source: t.source, what: `Table ${t.name}` });
  const kept: SchemaObject[] = [];
  for (const o of objects) {
    // Routine and event names are case-insensitive; so are view and trigger names on the usual lower_case_table_names.
    const key = `${namespaceOf(o.kind)}:${o.name.toLowerCase()}`;
    const first = seen.get(key);
    if (first) {
      const where = first.source ? `${first.source.file}:${first.source.range.start.line + 1}` : 'another file';
      const range = o.nameSource?.range ?? o.source!.range;
      problems.push({ file: o.source?.file ?? '', range, kind: 'semantic', code: 'duplicate-object', severity: 'error', message: `${first.what} is already defined at ${where}; a ${o.kind} cannot take the same name. Rename or remove one of them.` });
      continue;
    }
    seen.set(key, { source: o.source, what: `${o.kind[0].toUpperCase()}${o.kind.slice(1)} ${o.name}` });
    kept.push(o);
  }
  return kept;
}
