import type { Index, Table } from '../../schema/model.js';
import { MAX_KEYS } from '../../schema/semantic-checks.js';
import type { LintRule } from '../rule.js';
import { capitalize, describeIndex, earlierDuplicates, indexName, isBtree, isLeftPrefix, isUnique, sameParts } from '../index-shape.js';
import { refOf, removalRange } from '../source.js';
import type { Violation } from '../violation.js';

/**
 * The index that makes `index` redundant, if any. Never the primary key itself
 * (it is the clustered index and the migration's row key), and never a unique
 * index covered by a wider one (dropping it would drop the constraint). Exact
 * duplicates of the same kind are duplicate-index's.
 */
function coveredBy(table: Table, index: Index): Index | undefined {
  if (index.kind === 'primary' || !isBtree(index)) return undefined;
  for (const other of table.indexes) {
    if (other === index || !isBtree(other)) continue;
    const duplicateKind = other.kind === index.kind && other.using === index.using && sameParts(other, index);
    if (duplicateKind) continue;
    if (isUnique(index)) {
      // UNIQUE (a) next to PRIMARY KEY (a), or two unique keys on the same columns of different kinds.
      if (isUnique(other) && sameParts(other, index)) return other;
      continue;
    }
    if (isLeftPrefix(index, other)) return other;
  }
  return undefined;
}

export const redundantIndex: LintRule = {
  code: 'redundant-index',
  name: 'Redundant index',
  description: 'A non-unique index whose columns are a left prefix of another index (or a unique index equal to the primary key) serves no lookup the other cannot.',
  defaultSeverity: 'warning',
  scope: 'schema',
  lint(ctx) {
    const out: Violation[] = [];
    for (const table of ctx.schema?.tables ?? []) {
      // coveredBy compares pairs, each fix looks at every element: bounded by what a server accepts (the parse reports more keys as an error).
      if (table.indexes.length > MAX_KEYS) continue;
      const duplicates = earlierDuplicates(table.indexes);
      table.indexes.forEach((index) => {
        // An exact duplicate of an earlier index is reported once, by duplicate-index.
        if (duplicates.has(index)) return;
        const other = coveredBy(table, index);
        if (!other) return;
        const range = removalRange(table, index.source, ctx.sources);
        out.push({
          code: 'redundant-index',
          severity: 'warning',
          message: `${capitalize(describeIndex(index))} is redundant: ${describeIndex(other)} serves every lookup it can. Remove \`${indexName(index)}\`.`,
          table: table.name,
          index: indexName(index),
          source: refOf(table, index),
          fix: range && index.source ? { title: `Remove redundant index ${indexName(index)}`, edits: [{ file: index.source.file, range, newText: '' }] } : undefined,
        });
      });
    }
    return out;
  },
};
