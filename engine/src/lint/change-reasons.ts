/** Shared by the deploy-time rules: each turns the diff's reasons of one class into violations. */
import type { ChangeClass, ChangeReason, SchemaChange } from '../diff/change.js';
import { findColumn, type ColumnType, type Table } from '../schema/model.js';
import type { LintContext } from './rule.js';
import { refOf, tableRef } from './source.js';
import type { Severity, Violation } from './violation.js';

export function describeType(type: ColumnType): string {
  const args = type.values ? type.values.map((v) => `'${v}'`).join(',') : type.length !== undefined ? `${type.length}${type.scale !== undefined ? `,${type.scale}` : ''}` : '';
  return `${type.base}${args ? `(${args})` : ''}${type.unsigned ? ' unsigned' : ''}`;
}

/** The table as it will be (or was, for a drop): where the finding points and whose nolint applies. */
export function changeTable(change: SchemaChange): Table | undefined {
  return change.after ?? change.before;
}

export function reasonsOf(change: SchemaChange, cls: ChangeClass): ChangeReason[] {
  return change.reasons.filter((r) => r.class === cls);
}

/** Point at the column or index in the branch's file when it still exists there, else at the table name. */
export function reasonSource(change: SchemaChange, reason: ChangeReason) {
  const table = change.after;
  if (!table) return undefined;
  const column = reason.column ? findColumn(table, reason.column) : undefined;
  const index = reason.index ? table.indexes.find((i) => i.name.toLowerCase() === reason.index!.toLowerCase()) : undefined;
  return column ? refOf(table, column) : index ? refOf(table, index) : tableRef(table);
}

export function changeViolations(
  ctx: LintContext,
  code: string,
  severity: Exclude<Severity, 'off'>,
  cls: ChangeClass,
  message: (change: SchemaChange, reason: ChangeReason) => string,
): Violation[] {
  const out: Violation[] = [];
  for (const change of ctx.changes ?? []) {
    for (const reason of reasonsOf(change, cls)) {
      out.push({
        code,
        severity,
        message: message(change, reason),
        table: change.table,
        column: reason.column,
        index: reason.index,
        source: reasonSource(change, reason),
      });
    }
  }
  return out;
}
