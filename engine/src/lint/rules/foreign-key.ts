import type { LintRule } from '../rule.js';
import { refOf } from '../source.js';
import type { Violation } from '../violation.js';

export const foreignKey: LintRule = {
  code: 'foreign-key',
  name: 'Foreign key',
  description: 'Foreign keys make online migration and revert harder: the shadow table swap must rebuild the constraints on both sides.',
  defaultSeverity: 'warning',
  scope: 'schema',
  lint(ctx) {
    const out: Violation[] = [];
    for (const table of ctx.schema?.tables ?? []) {
      for (const fk of table.foreignKeys) {
        const cols = fk.columns.join(', ');
        out.push({
          code: 'foreign-key',
          severity: 'warning',
          message:
            `Foreign key \`${fk.name}\` (${cols}) references \`${fk.refTable}\` (${fk.refColumns.join(', ')}). ` +
            'An online migration of either table swaps in a new table, so the constraint must be recreated and a revert must restore it; ' +
            'prefer enforcing the relation in the application and keeping a plain index on the columns.',
          suggestion: `KEY ${fk.name} (${cols})`,
          table: table.name,
          column: fk.columns.length === 1 ? fk.columns[0] : undefined,
          source: refOf(table, fk),
        });
      }
    }
    return out;
  },
};
