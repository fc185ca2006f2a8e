/** How engine results look on a terminal and in --json, shared by the commands. */
import type { SchemaChange } from '../../engine/src/diff/change.js';
import { Branches } from '../../engine/src/branch/branches.js';
import type { ProbeNotice } from '../../engine/src/db/object-probe.js';
import { quoteIdent } from '../../engine/src/sql/quote.js';
import type { CommandContext } from './command.js';

export async function workspaceBranches(ctx: CommandContext): Promise<Branches> {
  const config = ctx.config();
  return new Branches(ctx.dir, config, await ctx.server(), (probe) => {
    for (const line of probeLines(probe)) ctx.warn(line);
  });
}

/**
 * What a comparison is about to send from the files (on stderr, before it is sent): the
 * objects' statements come from the repository, so they are printed in full, as push does.
 */
export function probeLines(p: ProbeNotice): string[] {
  return [
    `-- Comparing views, triggers, routines and events as the server prints them: defining them in the scratch database ${quoteIdent(p.database)} ` +
      `(after its ${plural(p.tables.length, 'table')}), reading them back, then dropping it. Nothing in them runs there (events are created disabled). Sent:`,
    ...p.statements.map((s) => `${s};`),
  ];
}

/** A change for --json: everything but the before/after tables (large, and derivable). */
export function changeJson(c: SchemaChange): Omit<SchemaChange, 'before' | 'after'> {
  const { before: _b, after: _a, ...rest } = c;
  return rest;
}

/** Each change as its class and the exact statement sent (a dry run must show everything a real run would send). */
export function changeLines(changes: SchemaChange[]): string[] {
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(`-- ${c.class}${c.reasons.length ? `: ${c.reasons.map((r) => r.message).join('; ')}` : ''}`);
    lines.push(`${c.statement};`);
  }
  return lines;
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** "16 tables", or "16 tables and 16 views, triggers, routines or events". */
export function tablesAndObjects(tables: number, objects: number): string {
  return objects > 0 ? `${plural(tables, 'table')} and ${plural(objects, 'view, trigger, routine or event', 'views, triggers, routines or events')}` : plural(tables, 'table');
}
