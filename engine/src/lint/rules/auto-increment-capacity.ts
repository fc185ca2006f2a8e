import type { Column, Table } from '../../schema/model.js';
import type { LintContext, LintRule } from '../rule.js';
import { fileText, rangeAt, refOf } from '../source.js';
import type { LintFix, Violation } from '../violation.js';

/** Largest value of each integer type, signed and unsigned. */
const MAX: Record<string, { signed: number; unsigned: number }> = {
  tinyint: { signed: 127, unsigned: 255 },
  smallint: { signed: 32767, unsigned: 65535 },
  mediumint: { signed: 8388607, unsigned: 16777215 },
  int: { signed: 2147483647, unsigned: 4294967295 },
  integer: { signed: 2147483647, unsigned: 4294967295 },
  bigint: { signed: 9223372036854775807, unsigned: 18446744073709551615 },
};

/** Share of the type's range after which the counter is reported. */
export const CAPACITY_THRESHOLD = 0.8;

/** 2147483647 -> '2,147,483,647' (toLocaleString goes through Intl, too slow for every keystroke). */
export function grouped(n: number): string {
  return BigInt(Math.round(n)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function maxValue(column: Column): number | undefined {
  const max = MAX[column.type.base.toLowerCase()];
  return max ? (column.type.unsigned ? max.unsigned : max.signed) : undefined;
}

/** Replace the type token (and any display width / SIGNED / UNSIGNED after it) with `bigint unsigned`. */
function bigintFix(ctx: LintContext, column: Column): LintFix | undefined {
  const ref = column.source;
  const text = fileText(ctx.sources, ref);
  if (text === undefined || !ref) return undefined;
  const slice = text.slice(ref.range.start.offset, ref.range.end.offset);
  const m = /^(\s*(?:`(?:[^`]|``)+`|"[^"]+"|[A-Za-z0-9_$]+)\s+)(tinyint|smallint|mediumint|integer|int)\b(\s*\(\s*\d+\s*\))?(\s+(?:un)?signed\b)?(\s+zerofill\b)?/i.exec(slice);
  if (!m) return undefined;
  const start = ref.range.start.offset + m[1].length;
  const end = ref.range.start.offset + m[0].length;
  return { title: `Make ${column.name} bigint unsigned`, edits: [{ file: ref.file, range: rangeAt(text, start, end), newText: 'bigint unsigned' }] };
}

/** Unsigned types too small for a counter (Sakila's SMALLINT UNSIGNED ids end at 65,535); int unsigned's 4 billion is left alone. */
const SMALL_UNSIGNED = new Set(['tinyint', 'smallint', 'mediumint']);

function staticFinding(ctx: LintContext, table: Table, column: Column): Violation | undefined {
  const base = column.type.base.toLowerCase();
  if (base === 'bigint' || !MAX[base] || (column.type.unsigned && !SMALL_UNSIGNED.has(base))) return undefined;
  return {
    code: 'auto-increment-capacity',
    severity: 'warning',
    message:
      `AUTO_INCREMENT column \`${table.name}\`.\`${column.name}\` is ${column.type.unsigned ? `a ${base} unsigned` : `a signed ${base}`}: it runs out at ${grouped(maxValue(column)!)} and then every insert fails. ` +
      'Use bigint unsigned; widening it later means a full table copy.',
    suggestion: 'bigint unsigned',
    table: table.name,
    column: column.name,
    source: refOf(table, column),
    fix: bigintFix(ctx, column),
  };
}

function liveFinding(ctx: LintContext, table: Table, column: Column): Violation | undefined {
  const next = ctx.liveStats?.[table.name]?.autoIncrement;
  const max = maxValue(column);
  if (next === undefined || max === undefined) return undefined;
  const used = Math.max(0, next - 1);
  if (used < max * CAPACITY_THRESHOLD) return undefined;
  const pct = Math.min(100, Math.floor((used / max) * 100));
  const widerThan = column.type.base.toLowerCase() === 'bigint' && column.type.unsigned ? 'Archive or reset the key space' : 'Change it to bigint unsigned now (an online migration)';
  return {
    code: 'auto-increment-capacity',
    severity: 'warning',
    message: `AUTO_INCREMENT of \`${table.name}\`.\`${column.name}\` is at ${grouped(next)}, ${pct}% of the ${column.type.unsigned ? 'unsigned ' : ''}${column.type.base} maximum ${grouped(max)}: inserts fail when it is reached. ${widerThan}.`,
    suggestion: 'bigint unsigned',
    table: table.name,
    column: column.name,
    source: refOf(table, column),
    fix: column.type.base.toLowerCase() === 'bigint' ? undefined : bigintFix(ctx, column),
  };
}

export const autoIncrementCapacity: LintRule = {
  code: 'auto-increment-capacity',
  name: 'AUTO_INCREMENT capacity',
  description: 'AUTO_INCREMENT columns should be bigint unsigned; with live counters, warns when a counter passes 80% of its type.',
  defaultSeverity: 'warning',
  scope: 'schema',
  lint(ctx) {
    const out: Violation[] = [];
    for (const table of ctx.schema?.tables ?? []) {
      for (const column of table.columns) {
        if (!column.autoIncrement) continue;
        // The live finding is the urgent one; it replaces the static advice for the same column.
        const found = liveFinding(ctx, table, column) ?? staticFinding(ctx, table, column);
        if (found) out.push(found);
      }
    }
    return out;
  },
};
