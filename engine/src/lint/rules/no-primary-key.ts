import { findColumn, type Index, type Table } from '../../schema/model.js';
import { candidateOf, rowKeys, whyNotRowKey } from '../../schema/row-key.js';
import type { LintContext, LintRule } from '../rule.js';
import { emptyRangeAt, fileText, positionAt, tableRef } from '../source.js';
import type { LintFix, Violation } from '../violation.js';

const ID_COLUMN = 'id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY';

/** A key the online migration can chunk and match rows by (schema/row-key.ts decides, for lint and the migration alike). */
export function usableKey(table: Table): Index | undefined {
  const key = rowKeys(table)[0];
  if (key) return key;
  // SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE: a usable key even when the model keeps the alias.
  const serial = table.columns.find((c) => c.type.base.toLowerCase() === 'serial');
  if (serial) return { name: serial.name, kind: 'unique', parts: [{ column: serial.name }] };
  return undefined;
}

/** Insert the id column before the first column, on its own line when the file is laid out that way. */
function addIdColumn(table: Table, ctx: LintContext): LintFix | undefined {
  if (findColumn(table, 'id') || table.columns.some((c) => c.autoIncrement)) return undefined;
  const first = table.columns[0]?.source;
  if (!first) return undefined;
  const text = fileText(ctx.sources, first);
  let newText = `${ID_COLUMN},\n${' '.repeat(first.range.start.character)}`;
  if (text !== undefined) {
    const lineStart = text.lastIndexOf('\n', first.range.start.offset - 1) + 1;
    const indent = text.slice(lineStart, first.range.start.offset);
    newText = /^\s*$/.test(indent) ? `${ID_COLUMN},\n${indent}` : `${ID_COLUMN}, `;
  } else if (table.nameSource && table.nameSource.range.start.line === first.range.start.line) {
    newText = `${ID_COLUMN}, `;
  }
  const at = text !== undefined ? positionAt(text, first.range.start.offset) : first.range.start;
  return { title: 'Add an auto-increment id primary key', edits: [{ file: first.file, range: emptyRangeAt(at), newText }] };
}

export const noPrimaryKey: LintRule = {
  code: 'no-primary-key',
  name: 'Table without a primary key',
  description: 'Every table needs a primary key (or a unique key on NOT NULL columns): the online migration copies and matches rows by it.',
  defaultSeverity: 'error',
  scope: 'schema',
  lint(ctx) {
    const out: Violation[] = [];
    for (const table of ctx.schema?.tables ?? []) {
      if (usableKey(table)) continue;
      const primary = table.indexes.find((i) => i.kind === 'primary');
      const nullableUnique = table.indexes.find((i) => i.kind === 'unique');
      const autoInc = table.columns.find((c) => c.autoIncrement);
      let how = `add \`${ID_COLUMN}\``;
      if (primary) how = `make the primary key cover whole NOT NULL columns (no prefix lengths), or add a unique key on whole NOT NULL columns`;
      else if (autoInc) how = `make the AUTO_INCREMENT column \`${autoInc.name}\` the PRIMARY KEY`;
      else if (nullableUnique) how = `make the columns of unique key \`${nullableUnique.name}\` NOT NULL (without prefix lengths), or ${how}`;
      const what = primary ? `has no key that identifies its rows: ${whyNotRowKey(candidateOf(table, primary)) ?? 'its primary key cannot be used'}` : 'has no primary key, nor a unique key on NOT NULL columns';
      out.push({
        code: 'no-primary-key',
        severity: 'error',
        message: `Table \`${table.name}\` ${what}: an online migration cannot copy or revert it. To fix, ${how}.`,
        suggestion: autoInc ? `PRIMARY KEY (${autoInc.name})` : ID_COLUMN,
        table: table.name,
        source: tableRef(table),
        fix: addIdColumn(table, ctx),
      });
    }
    return out;
  },
};
