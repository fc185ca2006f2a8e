/**
 * Problems no single file can show: a table defined twice in a branch, a view,
 * trigger, routine or event whose name is taken (as the CLI reports it), a
 * foreign key to a table or column the branch does not have, an index on a
 * column its table lacks. Located at the exact name token when the outline
 * finds it, else at the element.
 */
import type { SourceRange, Table } from '../../../engine/src/schema/model.js';
import { basename } from 'node:path';
import type { OccurrenceKind } from '../sql/outline.js';
import type { BranchModel } from '../workspace/branch-model.js';
import type { ParsedDocument } from '../workspace/documents.js';

export interface CrossFileProblem {
  file: string;
  range: SourceRange;
  code: 'duplicate-table' | 'duplicate-object' | 'missing-fk-table' | 'missing-fk-column' | 'missing-index-column';
  message: string;
}

/**
 * Lower-case column names of a table, built once per parsed table (parses are immutable):
 * this runs over every table of the branch on every keystroke, and findColumn lower-cases
 * every column name on every call.
 */
const columnNames = new WeakMap<Table, Set<string>>();

function hasColumn(table: Table, name: string): boolean {
  let names = columnNames.get(table);
  if (!names) columnNames.set(table, (names = new Set(table.columns.map((c) => c.name.toLowerCase()))));
  return names.has(name.toLowerCase());
}

export function crossFileProblems(model: BranchModel): CrossFileProblem[] {
  const out: CrossFileProblem[] = [];
  const where = model.branch === undefined ? 'this file' : `branch ${model.branch}`;
  for (const p of model.objectProblems) out.push({ file: p.file, range: p.range, code: 'duplicate-object', message: p.message });
  for (const parsed of model.files) {
    for (const table of parsed.tables) {
      const defs = model.definitions.get(table.name) ?? [];
      if (defs.length > 1) {
        const others = defs.filter((d) => d.table !== table).map((d) => `${basename(d.parsed.doc.path)}:${(d.table.nameSource?.range.start.line ?? 0) + 1}`);
        out.push({
          file: parsed.doc.path,
          range: (table.nameSource ?? table.source)?.range ?? parsed.lines.range(0, 0),
          code: 'duplicate-table',
          message: `Table \`${table.name}\` is defined ${defs.length} times in ${where} (also at ${others.join(', ')}). Keep one CREATE TABLE per table and delete or rename the others.`,
        });
      }
      for (const fk of table.foreignKeys) {
        const at = (name: string, kind: OccurrenceKind, owner: string): SourceRange => locate(parsed, fk.source?.range, name, kind, owner) ?? fk.source?.range ?? parsed.lines.range(0, 0);
        for (const col of fk.columns) {
          if (!hasColumn(table, col)) {
            out.push({ file: parsed.doc.path, range: at(col, 'column-ref', table.name), code: 'missing-fk-column', message: `Foreign key \`${fk.name}\` uses column \`${col}\`, which table \`${table.name}\` does not have.` });
          }
        }
        const target: Table | undefined = fk.refTable === table.name ? table : model.known.get(fk.refTable);
        if (!target) {
          out.push({
            file: parsed.doc.path,
            range: at(fk.refTable, 'table-ref', fk.refTable),
            code: 'missing-fk-table',
            message: `Foreign key \`${fk.name}\` references table \`${fk.refTable}\`, which ${where} does not define. Add schema file for it or fix the name.`,
          });
          continue;
        }
        for (const col of fk.refColumns) {
          if (!hasColumn(target, col)) {
            out.push({ file: parsed.doc.path, range: at(col, 'column-ref', fk.refTable), code: 'missing-fk-column', message: `Foreign key \`${fk.name}\` references \`${fk.refTable}\`.\`${col}\`, but table \`${fk.refTable}\` has no column \`${col}\`.` });
          }
        }
      }
      for (const index of table.indexes) {
        for (const part of index.parts) {
          if (hasColumn(table, part.column)) continue;
          out.push({
            file: parsed.doc.path,
            range: locate(parsed, index.source?.range, part.column, 'column-ref', table.name) ?? index.source?.range ?? parsed.lines.range(0, 0),
            code: 'missing-index-column',
            message: `${index.kind === 'primary' ? 'The primary key' : `Index \`${index.name}\``} uses column \`${part.column}\`, which table \`${table.name}\` does not have.`,
          });
        }
      }
    }
  }
  return out;
}

/** The name token inside `within` (or anywhere in the file when unknown). */
function locate(parsed: ParsedDocument, within: SourceRange | undefined, name: string, kind: OccurrenceKind, owner: string): SourceRange | undefined {
  const lower = name.toLowerCase();
  const occ = parsed.outline.occurrences.find(
    (o) =>
      o.kind === kind &&
      o.name.toLowerCase() === lower &&
      o.table === owner &&
      (!within || (o.start >= within.start.offset && o.end <= within.end.offset)),
  );
  return occ ? parsed.lines.range(occ.start, occ.end) : undefined;
}
