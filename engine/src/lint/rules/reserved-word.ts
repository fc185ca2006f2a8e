import type { SourceRef, Table } from '../../schema/model.js';
import { reservedIn } from '../reserved-words.js';
import type { LintRule } from '../rule.js';
import { refOf, tableRef } from '../source.js';
import type { Violation } from '../violation.js';

function finding(table: Table, what: string, name: string, source: SourceRef | undefined, extra: Partial<Violation>): Violation | undefined {
  const servers = reservedIn(name);
  if (servers.length === 0) return undefined;
  return {
    code: 'reserved-word',
    severity: 'warning',
    message:
      `${what} name \`${name}\` is a reserved word in ${servers.join(' and ')}: every query must quote it in backticks or it fails with a syntax error. ` +
      `Rename it (e.g. \`${name}_${what === 'Table' ? 'table' : what === 'Index' ? 'idx' : 'value'}\`).`,
    table: table.name,
    source,
    ...extra,
  };
}

export const reservedWord: LintRule = {
  code: 'reserved-word',
  name: 'Reserved word as a name',
  description: 'Table, column and index names that MySQL 8.0 or MariaDB 10.11 reserve must be quoted in every query.',
  defaultSeverity: 'warning',
  scope: 'schema',
  lint(ctx) {
    const out: Array<Violation | undefined> = [];
    for (const table of ctx.schema?.tables ?? []) {
      out.push(finding(table, 'Table', table.name, tableRef(table), {}));
      for (const column of table.columns) out.push(finding(table, 'Column', column.name, refOf(table, column), { column: column.name }));
      for (const index of table.indexes) {
        if (index.kind === 'primary') continue;
        out.push(finding(table, 'Index', index.name, refOf(table, index), { index: index.name }));
      }
    }
    return out.filter((v): v is Violation => v !== undefined);
  },
};
