/**
 * Verify before cut-over (as Spirit does): after the copy and the drain, a
 * chunked checksum compares each original table with its shadow on the copied
 * columns, read as the ALTER converts them, while the application keeps
 * writing. Each chunk is read on both sides in one consistent snapshot; a row
 * that differs there is in flight only when the same snapshot shows its key
 * waiting in the changelog (the capture trigger writes it in the same
 * transaction as the row, and the drain removes it in the same transaction as
 * the copy). Any other difference is a change no trigger saw (a cascade, a
 * write with the engine's session variable, a bug): it is checked once more
 * after a drain, then named, and the cut-over does not happen.
 */
import type { Connection } from 'mysql2/promise';
import { checksumChunkEnd, chunkChecksum, chunkRowHashes, columnReading, pendingInRange, rowHashesOf } from './checksum-sql.js';
import { drainAll } from './drain.js';
import { liveColumns } from './inspect.js';
import { METADATA_DB } from './names.js';
import { forwardRoute } from './routes.js';
import { arrays, rows, sleep } from './session.js';
import { keyCompare, readChangelogKeys } from './sql.js';
import type { TableRecord } from './store.js';

export type RowProblem = 'missing from the new table' | 'only in the new table' | 'differs';

export interface RowDifference {
  key: Record<string, string>;
  problem: RowProblem;
}

export interface TableVerification {
  table: string;
  rows: number;
  chunks: number;
  ms: number;
  /** Rows that differed in a chunk's snapshot while a change to them waited in the changelog: not a fault. */
  inFlight: number;
  differences: RowDifference[];
}

export interface Verification {
  ok: boolean;
  ms: number;
  tables: TableVerification[];
}

/** The copy does not match the original: nothing was swapped. */
export class CopyMismatch extends Error {
  readonly retrySafe = true;
  constructor(readonly verification: Verification) {
    super(`Cut-over refused: ${describeDifferences(verification)} Nothing was swapped and main is unchanged. Cancel this deploy request and deploy again (the copy starts over); if it happens again, something changes these tables without firing triggers.`);
    this.name = 'CopyMismatch';
  }
}

export function describeDifferences(v: Verification, shown = 10): string {
  const parts: string[] = [];
  for (const t of v.tables) {
    if (!t.differences.length) continue;
    const named = t.differences.slice(0, shown).map((d) => `${JSON.stringify(d.key)} ${d.problem}`);
    const more = t.differences.length > shown ? ` and ${t.differences.length - shown} more` : '';
    parts.push(`the copy of ${t.table} does not match it in ${t.differences.length} row${t.differences.length > 1 ? 's' : ''}: ${named.join('; ')}${more}.`);
  }
  return parts.length ? parts.join(' ') : 'the copy matches.';
}

const MIN_CHUNK = 200;
const MAX_CHUNK = 100_000;
const BATCH = 1000;
/** Beyond this many keys in flight in one chunk, the chunk is compared row by row instead. */
const MAX_EXCLUDED = 2000;

/** How many looks, each after a drain, a suspect row must differ in before it is named. */
const LOOKS = 3;

/** Compares every altered table with its shadow (phase ready_to_cut_over), draining the changelog before a recheck. */
export async function verifyCopies(conn: Connection, db: string, tables: TableRecord[], opts: { chunkTargetMs?: number; signal?: AbortSignal } = {}): Promise<Verification> {
  const started = Date.now();
  const out: TableVerification[] = [];
  for (const t of tables) {
    if (t.kind !== 'alter_table') continue;
    const route = forwardRoute(db, t, false);
    out.push(await verifyTable(conn, db, t, { ...opts, drain: async () => void (await drainAll(conn, route)) }));
  }
  return { ok: out.every((t) => t.differences.length === 0), ms: Date.now() - started, tables: out };
}

/** A key as text for maps and messages: the two tables may hand the same key back as a number and as a string. */
function keyId(values: unknown[]): string {
  return JSON.stringify(values.map((v) => (Buffer.isBuffer(v) ? `0x${v.toString('hex')}` : String(v))));
}

async function inSnapshot<T>(conn: Connection, fn: () => Promise<T>): Promise<T> {
  // The engine's session is READ COMMITTED; one transaction here needs one read view for every statement.
  await conn.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  try {
    return await fn();
  } finally {
    await conn.query('COMMIT');
  }
}

export async function verifyTable(conn: Connection, db: string, t: TableRecord, opts: { drain: () => Promise<void>; chunkTargetMs?: number; signal?: AbortSignal }): Promise<TableVerification> {
  const started = Date.now();
  const key = t.key.map((k) => k.name);
  const [before, after] = [await liveColumns(conn, db, t.table), await liveColumns(conn, db, t.shadow)];
  const shape = (cols: typeof before, name: string) => cols.find((c) => c.name.toLowerCase() === name.toLowerCase())!;
  const readings = t.forwardColumns.map((c) => columnReading(c, shape(before, c), shape(after, c)));
  const oldR = readings.map((r) => r.old);
  const newR = readings.map((r) => r.new);
  const gt = keyCompare(key, '>');
  const le = keyCompare(key, '<=');

  /** Keys of `rows` that wait in the changelog (changed in the original, not yet drained). */
  const pending = async (keys: unknown[][]): Promise<Set<string>> => {
    const out = new Set<string>();
    for (let i = 0; i < keys.length; i += BATCH) {
      const part = keys.slice(i, i + BATCH);
      for (const k of await arrays(conn, readChangelogKeys(METADATA_DB, t.changelog!, key, part.length), [1, ...part.flat()])) out.add(keyId(k));
    }
    return out;
  };
  /** Rows whose hashes differ between two reads of the same keys, less those in flight. */
  const compare = async (a: unknown[][], b: unknown[][]): Promise<{ differ: Map<string, { key: unknown[]; problem: RowProblem }>; inFlight: number }> => {
    const hashes = (r: unknown[][]) => new Map(r.map((x) => [keyId(x.slice(0, key.length)), { key: x.slice(0, key.length), h: String(x[key.length]) }]));
    const [ha, hb] = [hashes(a), hashes(b)];
    const differ = new Map<string, { key: unknown[]; problem: RowProblem }>();
    for (const [id, x] of ha) {
      const y = hb.get(id);
      if (!y) differ.set(id, { key: x.key, problem: 'missing from the new table' });
      else if (y.h !== x.h) differ.set(id, { key: x.key, problem: 'differs' });
    }
    for (const [id, y] of hb) if (!ha.has(id)) differ.set(id, { key: y.key, problem: 'only in the new table' });
    const moving = await pending([...differ.values()].map((d) => d.key));
    for (const id of moving) differ.delete(id);
    return { differ, inFlight: moving.size };
  };

  let from: unknown[] | null = null;
  let size = 2000;
  let total = 0;
  let chunks = 0;
  let inFlight = 0;
  let lastDrain = Date.now();
  const suspects = new Map<string, { key: unknown[]; problem: RowProblem }>();
  for (;;) {
    if (opts.signal?.aborted) throw new Error('The verification was stopped.');
    const chunkStarted = Date.now();
    const to = await inSnapshot(conn, async () => {
      const fromParams = from ? gt.params(from) : [];
      const end = (await arrays(conn, checksumChunkEnd(db, t.table, key, from !== null), [...fromParams, size - 1]))[0] ?? null;
      const params = [...fromParams, ...(end ? le.params(end) : [])];
      // Rows with a change waiting to be drained differ for a reason: leave them out of both sums, so a busy chunk still sums alike.
      const moving = await arrays(conn, pendingInRange(METADATA_DB, t.changelog!, key, from !== null, end !== null), [1, ...params]);
      const skip = moving.length <= MAX_EXCLUDED ? moving : [];
      const sum = (table: string, r: string[]) => rows<{ n: number | string; h: number | string }>(conn, chunkChecksum(db, table, key, r, from !== null, end !== null, skip.length), [...params, ...skip.flat()]);
      const [[a], [b]] = [await sum(t.table, oldR), await sum(t.shadow, newR)];
      total += Number(a!.n) + skip.length;
      inFlight += skip.length;
      if (String(a!.n) !== String(b!.n) || String(a!.h) !== String(b!.h)) {
        const list = (table: string, r: string[]) => arrays(conn, chunkRowHashes(db, table, key, r, from !== null, end !== null), params);
        const found = await compare(await list(t.table, oldR), await list(t.shadow, newR));
        inFlight += found.inFlight;
        for (const [id, d] of found.differ) suspects.set(id, d);
      }
      return end;
    });
    chunks++;
    const elapsed = Math.max(1, Date.now() - chunkStarted);
    // Keep the changelog short, as the copy does, so fewer rows are in flight in the next chunk.
    if (Date.now() - lastDrain > 1000) {
      await opts.drain();
      lastDrain = Date.now();
    }
    size = Math.round(Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, size * Math.min(2, Math.max(0.5, (opts.chunkTargetMs ?? 200) / elapsed)))));
    if (!to) break;
    from = to;
  }

  // Another look after a drain, in a fresh snapshot: only what still differs, and is not in flight, is a fault.
  // A table without snapshots (MyISAM) shows a write before its changelog row commits, so a row must differ in
  // every one of LOOKS looks, each after a drain, before it is named; a row that really differs always does.
  let left = [...suspects.values()];
  let last = new Map<string, { key: unknown[]; problem: RowProblem }>();
  for (let look = 0; look < LOOKS && left.length; look++) {
    await opts.drain();
    last = new Map();
    const keys = left.map((s) => s.key);
    for (let i = 0; i < keys.length; i += BATCH) {
      const part = keys.slice(i, i + BATCH);
      const again = await inSnapshot(conn, async () =>
        compare(await arrays(conn, rowHashesOf(db, t.table, key, oldR, part.length), part.flat()), await arrays(conn, rowHashesOf(db, t.shadow, key, newR, part.length), part.flat())),
      );
      for (const [id, d] of again.differ) last.set(id, d);
    }
    left = [...last.values()];
    if (left.length && look + 1 < LOOKS) await sleep(50 * (look + 1));
  }
  const confirmed: RowDifference[] = left.map((d) => ({ key: Object.fromEntries(key.map((k, j) => [k, JSON.parse(keyId(d.key))[j] as string])), problem: d.problem }));
  return { table: t.table, rows: total, chunks, ms: Date.now() - started, inFlight, differences: confirmed };
}
