import type { LintRule } from '../rule.js';
import { refOf } from '../source.js';
import type { Violation } from '../violation.js';

const APPROXIMATE = new Set(['float', 'double', 'real', 'double precision', 'float4', 'float8']);

export const floatDouble: LintRule = {
  code: 'float-double',
  name: 'Approximate numeric type',
  description: 'FLOAT and DOUBLE store approximations: sums drift and equality comparisons fail. Use DECIMAL for exact values such as money.',
  defaultSeverity: 'warning',
  scope: 'schema',
  lint(ctx) {
    const out: Violation[] = [];
    for (const table of ctx.schema?.tables ?? []) {
      for (const column of table.columns) {
        if (!APPROXIMATE.has(column.type.base.toLowerCase())) continue;
        out.push({
          code: 'float-double',
          severity: 'warning',
          message:
            `Column \`${table.name}\`.\`${column.name}\` is ${column.type.base.toUpperCase()}, an approximate type: stored values are rounded in binary. ` +
            'Use DECIMAL(precision, scale) for exact values (money, quantities); keep FLOAT/DOUBLE only for measurements, and silence this with `-- schemabranch:nolint float-double`.',
          suggestion: 'DECIMAL(20, 6)',
          table: table.name,
          column: column.name,
          source: refOf(table, column),
        });
      }
    }
    return out;
  },
};
