import { MAX_KEYS } from '../../schema/semantic-checks.js';
import type { LintRule } from '../rule.js';
import { describeIndex, earlierDuplicates, indexName } from '../index-shape.js';
import { refOf, removalRange } from '../source.js';
import type { Violation } from '../violation.js';

export const duplicateIndex: LintRule = {
  code: 'duplicate-index',
  name: 'Duplicate index',
  description: 'Two indexes of the same kind on the same columns in the same order: the second costs writes and space and serves nothing.',
  defaultSeverity: 'warning',
  scope: 'schema',
  lint(ctx) {
    const out: Violation[] = [];
    for (const table of ctx.schema?.tables ?? []) {
      // Each finding's fix looks at every element: bounded by what a server accepts (the parse reports more keys as an error).
      if (table.indexes.length > MAX_KEYS) continue;
      const duplicates = earlierDuplicates(table.indexes);
      table.indexes.forEach((index) => {
        if (index.kind === 'primary') return;
        const original = duplicates.get(index);
        if (!original) return;
        const range = removalRange(table, index.source, ctx.sources);
        out.push({
          code: 'duplicate-index',
          severity: 'warning',
          message: `Index \`${indexName(index)}\` duplicates ${describeIndex(original)}: same kind, same columns, same order. Remove \`${indexName(index)}\`.`,
          table: table.name,
          index: indexName(index),
          source: refOf(table, index),
          fix: range && index.source ? { title: `Remove duplicate index ${indexName(index)}`, edits: [{ file: index.source.file, range, newText: '' }] } : undefined,
        });
      });
    }
    return out;
  },
};
