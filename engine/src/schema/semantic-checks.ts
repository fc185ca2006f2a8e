import type { SourceRange, Table } from './model.js';
import type { SchemaProblem } from './problems.js';

/**
 * MariaDB 10.11 refuses a 65th key (error 1069, "Too many keys specified; max 64 keys
 * allowed", primary key included; measured). Rules that compare keys pairwise skip a
 * table past it: no server creates it, and this check reports it.
 */
export const MAX_KEYS = 64;

const NOWHERE: SourceRange = { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } };

/** Names the server would refuse twice inside one table: columns (error 1060) and keys (1061). */
export function duplicateNamesInTable(table: Table): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const file = table.source?.file ?? '';
  const seen = new Set<string>();
  for (const c of table.columns) {
    const key = c.name.toLowerCase();
    if (seen.has(key)) problems.push({ file, range: c.source?.range ?? NOWHERE, kind: 'semantic', code: 'duplicate-column', severity: 'error', message: `Column ${c.name} is defined twice in table ${table.name}; rename or remove one.` });
    seen.add(key);
  }
  if (table.indexes.length > MAX_KEYS) {
    const extra = table.indexes[MAX_KEYS];
    problems.push({ file, range: extra.source?.range ?? table.nameSource?.range ?? NOWHERE, kind: 'semantic', code: 'too-many-keys', severity: 'error', message: `Table ${table.name} has ${table.indexes.length} keys; MariaDB and MySQL allow at most ${MAX_KEYS} per table, the primary key included (error 1069). This is the first one past the limit.` });
  }
  const keys = new Set<string>();
  for (const i of table.indexes) {
    if (!i.name) continue;
    const key = i.name.toLowerCase();
    if (keys.has(key)) problems.push({ file, range: i.source?.range ?? NOWHERE, kind: 'semantic', code: 'duplicate-index', severity: 'error', message: `${i.kind === 'primary' ? 'A second PRIMARY KEY' : `Key ${i.name} is defined twice`} in table ${table.name}; a table has one primary key and unique key names.` });
    keys.add(key);
  }
  return problems;
}

/** Foreign key names are unique per database in InnoDB (error 121 otherwise), across tables. */
export function duplicateForeignKeyNames(tables: Table[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Map<string, Table>();
  for (const t of tables) {
    for (const fk of t.foreignKeys) {
      if (!fk.name) continue;
      const key = fk.name.toLowerCase();
      const first = seen.get(key);
      if (first) {
        problems.push({
          file: fk.source?.file ?? t.source?.file ?? '',
          range: fk.source?.range ?? NOWHERE,
          kind: 'semantic',
          code: 'duplicate-foreign-key-name',
          severity: 'error',
          message: `Foreign key ${fk.name} is already used by table ${first.name}; foreign key names must be unique in a database. Rename one.`,
        });
      } else seen.set(key, t);
    }
  }
  return problems;
}
