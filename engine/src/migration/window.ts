/**
 * The revert window: while it is open, rows written to the new-schema table
 * are applied to the old-schema table (common columns), so a revert is a swap
 * with no row copy. The triggers capture changes whether or not this process
 * is alive; this loop only keeps the backlog short.
 */
import type { Connection } from 'mysql2/promise';
import type { ServerTarget } from '../db/target.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { drainAll, type StuckRow } from './drain.js';
import { liveColumns } from './inspect.js';
import { openEngineConnection, rows, sleep } from './session.js';
import { backRoute } from './routes.js';
import type { TableRecord } from './store.js';

export class RevertWindowSync {
  running = false;
  private loop: Promise<void> | undefined;
  lastError: string | undefined;
  stuck = new Map<string, StuckRow[]>();

  constructor(
    private readonly target: ServerTarget,
    private readonly db: string,
    private readonly tables: TableRecord[],
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    let conn: Connection | undefined;
    while (this.running) {
      try {
        conn ??= await openEngineConnection(this.target);
        await syncBack(conn, this.db, this.tables, this.stuck);
        this.lastError = undefined;
      } catch (err) {
        this.lastError = err instanceof Error ? err.message : String(err);
        await conn?.end().catch(() => undefined);
        conn = undefined;
      }
      for (let waited = 0; this.running && waited < this.intervalMs; waited += 50) await sleep(50);
    }
    await conn?.end().catch(() => undefined);
  }
}

/**
 * One pass over every altered table; rows that do not fit the old schema stay
 * in the changelog and are reported. Returns the changes it applied.
 */
export async function syncBack(conn: Connection, db: string, tables: TableRecord[], stuck: Map<string, StuckRow[]>): Promise<number> {
  let applied = 0;
  for (const t of tables) {
    if (t.kind !== 'alter_table') continue;
    const res = await drainAll(conn, backRoute(db, t));
    applied += res.applied;
    if (res.stuck.length) stuck.set(t.table, res.stuck);
    else stuck.delete(t.table);
  }
  return applied;
}

/** What a revert would lose: values in columns the deploy added, and rows in tables it created. */
export async function revertWarnings(conn: Connection, db: string, tables: TableRecord[]): Promise<string[]> {
  const out: string[] = [];
  for (const t of tables) {
    if (t.kind === 'create_table') {
      const [r] = await rows<{ n: number }>(conn, `SELECT COUNT(*) AS n FROM ${quoteQualified(db, t.table)}`);
      if (Number(r?.n)) out.push(`Table ${t.table} (created by this deploy) holds ${Number(r!.n)} rows; revert sets it aside as ${t.shadow} until the migration is finished.`);
      continue;
    }
    if (t.kind !== 'alter_table') continue;
    const cols = await liveColumns(conn, db, t.table);
    for (const c of cols) {
      if (c.generated || t.backColumns.some((b) => b.toLowerCase() === c.name.toLowerCase())) continue;
      const q = quoteIdent(c.name);
      const cond = c.hasDefault ? `NOT (${q} <=> DEFAULT(${q}))` : `${q} IS NOT NULL`;
      const [r] = await rows<{ n: number }>(conn, `SELECT COUNT(*) AS n FROM ${quoteQualified(db, t.table)} WHERE ${cond}`);
      if (Number(r?.n)) out.push(`${Number(r!.n)} values in ${t.table}.${c.name} (added by this deploy) will be lost.`);
    }
  }
  return out;
}

export function describeStuck(table: string, s: StuckRow[]): string {
  const first = s[0]!;
  return `${s.length} row(s) of ${table} written since the deploy do not fit the old schema, e.g. key ${JSON.stringify(first.key)}: ${first.error}. Fix or delete those rows, then revert again.`;
}
