import type { LintRule } from '../rule.js';
import { refOf } from '../source.js';
import type { Violation } from '../violation.js';

export const foreignKey: LintRule = {
  code: 'foreign-key',
  name: 'Foreign key',
  description: 'Foreign keys (off by default: the online migration moves them itself). Turn it on for teams that keep relations in the application.',
  // Off by default: the migration rebuilds a table's foreign keys on the shadow table and restores them on revert, so they block nothing.
  defaultSeverity: 'off',
  scope: 'schema',
  lint(ctx) {
    const out: Violation[] = [];
    for (const table of ctx.schema?.tables ?? []) {
      let unnamed = 0;
      for (const fk of table.foreignKeys) {
        const cols = fk.columns.join(', ');
        // An unnamed key gets <table>_ibfk_N from the server, counting the unnamed ones in order.
        const name = fk.name || `${table.name}_ibfk_${++unnamed}`;
        const which = fk.name ? `Foreign key \`${name}\` (${cols})` : `The unnamed foreign key (${cols}), which the server names \`${name}\`,`;
        out.push({
          code: 'foreign-key',
          severity: 'warning',
          message:
            `${which} references \`${fk.refTable}\` (${fk.refColumns.join(', ')}). ` +
            'An online migration of either table swaps in a new table, so the constraint must be recreated and a revert must restore it; ' +
            'prefer enforcing the relation in the application and keeping a plain index on the columns.',
          suggestion: `KEY ${name} (${cols})`,
          table: table.name,
          column: fk.columns.length === 1 ? fk.columns[0] : undefined,
          source: refOf(table, fk),
        });
      }
    }
    return out;
  },
};
