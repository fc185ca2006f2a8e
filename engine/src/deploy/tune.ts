/**
 * Tuning a deploy's row copy while it runs (issue 11; gh-ost's interactive
 * `chunk-size` and `max-load`): the chunk target and the Threads_running
 * limit. Like pause, the store is the truth: a copy in this process is told at
 * once, one in another process at its next progress beat, and a copy that
 * starts later (a resumed or retried deploy) begins with the tuned values.
 */
import type { CopyTuning } from '../migration/index.js';
import type { DeployCore } from './core.js';
import type { DeployRequest } from './record.js';

export class TuneRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TuneRefusedError';
  }
}

/** The states whose copy runs now or may run later: tuning a finished request would change nothing. */
const TUNABLE = new Set(['open', 'queued', 'in_progress', 'error_retryable']);

const LIMITS = { chunkTargetMs: [10, 60_000], maxThreadsRunning: [1, 100_000] } as const;

export function checkTuning(t: CopyTuning): void {
  if (t.chunkTargetMs === undefined && t.maxThreadsRunning === undefined) throw new TuneRefusedError('Nothing to tune: give a chunk target (ms) and/or a Threads_running limit.');
  for (const key of ['chunkTargetMs', 'maxThreadsRunning'] as const) {
    const v = t[key];
    const [min, max] = LIMITS[key];
    if (v !== undefined && (!Number.isInteger(v) || v < min || v > max)) throw new TuneRefusedError(`${key} must be a whole number from ${min} to ${max}; got ${String(v)}. Nothing changed.`);
  }
}

export function describeTuning(t: CopyTuning): string {
  return [t.chunkTargetMs !== undefined ? `chunk target ${t.chunkTargetMs} ms` : '', t.maxThreadsRunning !== undefined ? `Threads_running limit ${t.maxThreadsRunning}` : ''].filter(Boolean).join(', ');
}

export async function tune(core: DeployCore, id: number, t: CopyTuning): Promise<DeployRequest> {
  checkTuning(t);
  const req = await core.store.get(id);
  if (!TUNABLE.has(req.state)) throw new TuneRefusedError(`deploy request #${id} is ${req.state}; only a request that copies rows now or may later (open, queued, in_progress, error_retryable) can be tuned. Nothing changed.`);
  const merged: CopyTuning = { ...(req.tuning ?? {}), ...t };
  // The store first: a beat that reads it meanwhile sees the new values, never undoes them.
  await core.store.patch(id, { tuning: JSON.stringify(merged) });
  core.copies.get(id)?.tune(merged);
  const actor = await core.actor();
  await core.store.note(id, req.state, `tuned by ${actor}: ${describeTuning(t)}${req.state === 'in_progress' ? ' (from the next chunk)' : ' (for its copy)'}`, actor);
  return core.store.get(id);
}
