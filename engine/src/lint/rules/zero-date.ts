import type { Column } from '../../schema/model.js';
import type { LintContext, LintRule } from '../rule.js';
import { fileText, rangeAt, refOf } from '../source.js';
import type { LintFix, Violation } from '../violation.js';

const TEMPORAL = new Set(['date', 'datetime', 'timestamp']);

/** `'0000-00-00'`, `'0000-00-00 00:00:00[.000]'`, or a bare 0 (which the server turns into the zero date). */
export function isZeroDate(defaultSql: string): boolean {
  return /^'0000-00-00(?:[ T]00:00:00(?:\.0+)?)?'$/.test(defaultSql.trim()) || /^0+$/.test(defaultSql.trim());
}

/** Nullable columns get a mechanical fix: DEFAULT NULL. NOT NULL ones need a real value chosen by a person. */
function defaultNullFix(ctx: LintContext, column: Column): LintFix | undefined {
  const ref = column.source;
  const text = fileText(ctx.sources, ref);
  if (!column.nullable || text === undefined || !ref) return undefined;
  const slice = text.slice(ref.range.start.offset, ref.range.end.offset);
  const m = /\bDEFAULT\s+('0000-00-00[^']*'|"0000-00-00[^"]*"|0+)(?![\w.])/i.exec(slice);
  if (!m) return undefined;
  const start = ref.range.start.offset + m.index + m[0].length - m[1].length;
  return { title: 'Use DEFAULT NULL', edits: [{ file: ref.file, range: rangeAt(text, start, start + m[1].length), newText: 'NULL' }] };
}

export const zeroDate: LintRule = {
  code: 'zero-date',
  name: 'Zero date default',
  description: "DEFAULT '0000-00-00' is refused by servers in strict mode with NO_ZERO_DATE (the MySQL 8 default) and breaks row copies between servers.",
  defaultSeverity: 'warning',
  scope: 'schema',
  lint(ctx) {
    const out: Violation[] = [];
    for (const table of ctx.schema?.tables ?? []) {
      for (const column of table.columns) {
        if (!TEMPORAL.has(column.type.base.toLowerCase()) || column.default === undefined || !isZeroDate(column.default)) continue;
        const instead = column.nullable ? 'DEFAULT NULL' : 'a real default (e.g. CURRENT_TIMESTAMP for a datetime/timestamp) or make the column NULL';
        out.push({
          code: 'zero-date',
          severity: 'warning',
          message: `Column \`${table.name}\`.\`${column.name}\` defaults to the zero date ${column.default}, which a server in strict mode (NO_ZERO_DATE) refuses. Use ${instead}.`,
          suggestion: column.nullable ? 'DEFAULT NULL' : undefined,
          table: table.name,
          column: column.name,
          source: refOf(table, column),
          fix: defaultNullFix(ctx, column),
        });
      }
    }
    return out;
  },
};
