/**
 * The chunked row copy of one table, by primary-key range, resumable from the
 * checkpoint stored after every chunk. Chunk size follows a target time per
 * chunk; the copy waits while the server is busy or while paused.
 */
import type { Connection } from 'mysql2/promise';
import { threadsRunning } from './inspect.js';
import { arrays, rows, sleep } from './session.js';
import { chunkEnd, copyChunk, firstKey, keyCompare, lastKey } from './sql.js';
import type { TableRecord } from './store.js';

/** Why the copy is waiting instead of copying: paused by a command, the server has more threads running than allowed, or a replica lags. */
export type CopyWait = 'paused' | 'server-busy' | 'replica-lag';

export interface CopyControl {
  chunkTargetMs: number;
  maxThreadsRunning: number;
  signal?: AbortSignal;
  /** Resolves when not paused. */
  waitIfPaused: () => Promise<void>;
  /** Persist the checkpoint (called after every chunk). */
  checkpoint: (t: TableRecord) => Promise<void>;
  /** Runs between chunks so the changelog stays short. */
  between: () => Promise<void>;
  onChunk: (t: TableRecord) => void;
  /** Told once each time the copy starts waiting, so callers can show it (and tests can wait on it); `detail` says which replica and how far behind. */
  onWait?: (reason: CopyWait, detail?: string) => void;
  /** Why a replica is too far behind for the copy to go on, or undefined (replicas.ts). */
  replicaLag?: () => Promise<string | undefined>;
}

const MIN_CHUNK = 500;
const MAX_CHUNK = 200_000;

export class CopyAborted extends Error {
  readonly retrySafe = true;
  constructor() {
    super('The row copy was stopped; it resumes from its last checkpoint when started again.');
  }
}

export async function copyTable(conn: Connection, db: string, t: TableRecord, ctl: CopyControl): Promise<void> {
  if (t.copyDone) return;
  const key = t.key.map((k) => k.name);
  if (t.endKey === null) {
    const end = await arrays(conn, lastKey(db, t.table, key));
    const [est] = await rows<{ n: string | number | null }>(conn, 'SELECT TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [db, t.table]);
    t.rowsTotal = Number(est?.n ?? 0);
    if (end.length === 0) {
      t.copyDone = true;
      await ctl.checkpoint(t);
      return;
    }
    t.endKey = end[0]!;
    await ctl.checkpoint(t);
  }
  const after = keyCompare(key, '>');
  const upTo = keyCompare(key, '<=');
  let chunk = 20_000;
  let lastBetween = Date.now();
  while (!t.copyDone) {
    if (ctl.signal?.aborted) throw new CopyAborted();
    await untilAborted(ctl.waitIfPaused(), ctl.signal);
    await throttle(conn, ctl);
    const from = t.lastKey;
    const bound = await nextChunkEnd(conn, db, t, chunk);
    const upper = bound[0] ?? t.endKey!;
    const started = Date.now();
    const [res] = await conn.query(copyChunk(db, t.table, t.shadow, t.forwardColumns, key, from !== null), [...(from ? after.params(from) : []), ...upTo.params(upper)]);
    const elapsed = Math.max(1, Date.now() - started);
    if (process.env.SCHEMABRANCH_TRACE_COPY) console.error(`[copy] ${t.table} chunk ${chunk} -> ${elapsed} ms`);
    const affected = Number((res as { affectedRows?: number }).affectedRows ?? 0);
    t.rowsCopied += affected;
    t.lastKey = upper;
    if (!bound[0]) t.copyDone = true;
    t.rowsTotal = Math.max(t.rowsTotal, t.rowsCopied);
    await ctl.checkpoint(t);
    ctl.onChunk(t);
    chunk = Math.round(Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, chunk * Math.min(2, Math.max(0.5, ctl.chunkTargetMs / elapsed)))));
    if (Date.now() - lastBetween > 1000) {
      await ctl.between();
      lastBetween = Date.now();
    }
  }
}

/**
 * The inclusive upper key of the next chunk, or none for the last chunk.
 * An integer key is stepped by value (no index walk); other keys find the
 * row `chunk` rows ahead. Chunk sizes adapt to time either way.
 */
async function nextChunkEnd(conn: Connection, db: string, t: TableRecord, chunk: number): Promise<unknown[][]> {
  const key = t.key.map((k) => k.name);
  const from = t.lastKey;
  if (t.key.length === 1 && /^(tiny|small|medium|big)?int\b/i.test(t.key[0]!.columnType)) {
    const start = from ? BigInt(String(from[0])) : BigInt(String((await arrays(conn, firstKey(db, t.table, key)))[0]?.[0] ?? 0)) - 1n;
    const upper = start + BigInt(chunk);
    return upper >= BigInt(String(t.endKey![0])) ? [] : [[upper.toString()]];
  }
  const after = keyCompare(key, '>');
  const upTo = keyCompare(key, '<=');
  return arrays(conn, chunkEnd(db, t.table, key, from !== null), [...(from ? after.params(from) : []), ...upTo.params(t.endKey!), chunk - 1]);
}

/** Waits for `p`, but gives up as soon as the signal aborts (a paused copy can still be stopped). */
async function untilAborted(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((_, reject) => {
    onAbort = () => reject(new CopyAborted());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([p, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

async function throttle(conn: Connection, ctl: CopyControl): Promise<void> {
  let told: string | undefined;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    if (ctl.signal?.aborted) throw new CopyAborted();
    const running = await threadsRunning(conn);
    const lag = running <= ctl.maxThreadsRunning ? await ctl.replicaLag?.() : undefined;
    if (running <= ctl.maxThreadsRunning && lag === undefined) return;
    const reason: CopyWait = lag === undefined ? 'server-busy' : 'replica-lag';
    if (told !== reason) ctl.onWait?.(reason, lag ?? `Threads_running is ${running}, above the limit of ${ctl.maxThreadsRunning}`);
    told = reason;
    await sleep(delay);
  }
}
