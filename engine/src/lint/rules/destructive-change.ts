import type { ChangeReason, SchemaChange } from '../../diff/change.js';
import { findColumn } from '../../schema/model.js';
import { changeViolations, describeType } from '../change-reasons.js';
import type { LintRule } from '../rule.js';
import type { Violation } from '../violation.js';

const SILENCE = 'If that is intended, confirm it: add `-- schemabranch:nolint destructive-change` to the table, or set its severity to "warning" for this deploy.';

/** Names exactly what the deploy throws away. */
export function whatIsLost(change: SchemaChange, reason: ChangeReason): string {
  const before = change.before;
  if (change.kind === 'drop_table') {
    const cols = before ? ` (columns ${before.columns.map((c) => c.name).join(', ')})` : '';
    return `Deploying drops table \`${change.table}\`${cols} and every row in it.`;
  }
  if (reason.column) {
    const col = before ? findColumn(before, reason.column) : undefined;
    return `Deploying drops column \`${change.table}\`.\`${reason.column}\`${col ? ` (${describeType(col.type)})` : ''} and the value it holds in every row.`;
  }
  return `Deploying loses data in \`${change.table}\`: ${reason.message}`;
}

export const destructiveChange: LintRule = {
  code: 'destructive-change',
  name: 'Destructive change',
  description: 'The deploy drops a table or a column: the data in it is gone once the revert window closes.',
  defaultSeverity: 'error',
  scope: 'change',
  lint(ctx) {
    const found = changeViolations(ctx, 'destructive-change', 'error', 'destructive', (change, reason) => `${whatIsLost(change, reason)} ${SILENCE}`);
    // A dropped table is destructive even if the diff gave no reason for it.
    const extra: Violation[] = [];
    for (const change of ctx.changes ?? []) {
      if (change.kind !== 'drop_table' || change.reasons.some((r) => r.class === 'destructive')) continue;
      const reason: ChangeReason = { class: 'destructive', code: 'drop-table', message: `drops table ${change.table}` };
      extra.push({ code: 'destructive-change', severity: 'error', message: `${whatIsLost(change, reason)} ${SILENCE}`, table: change.table });
    }
    return [...found, ...extra];
  },
};
