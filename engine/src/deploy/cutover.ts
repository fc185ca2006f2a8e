/**
 * The cut-over of a deploy and the revert window it opens.
 */
import type { DeployCore } from './core.js';
import type { OnlineMigration } from '../migration/index.js';
import { describeBlocker, type Blocker } from '../migration/blockers.js';
import type { DeployRequest } from './record.js';
import { failed, type DeployOptions } from './run.js';
import { errorPatch } from './store.js';
import { messageOf } from './errors.js';
import { applyObjects, recordObjectUndo } from './object-deploy.js';
import type { ObjectStatement } from './objects.js';

/** Retries get ids in steps of this, so they never meet another request's first attempt. */
const RETRY_STEP = 1_000_000;

/**
 * The migration engine's id for a new attempt at a deploy request: the
 * request's number the first time, so the helper tables beside the user's
 * (`_users_sb3_new`) say which request they belong to; a retry after an
 * aborted attempt needs a fresh id (the engine keeps aborted runs).
 */
export function nextMigrationId(req: DeployRequest): number {
  return req.migrationId ? Number(req.migrationId) + RETRY_STEP : req.id;
}

/** Whether a migration id is one of the attempts of deploy request `requestId`. */
export function attemptOf(migrationId: number, requestId: number): boolean {
  return migrationId >= requestId && (migrationId - requestId) % RETRY_STEP === 0;
}

export async function cutOverAndOpenWindow(core: DeployCore, req: DeployRequest, opts: DeployOptions, open?: OnlineMigration): Promise<DeployRequest> {
  const id = req.id;
  if (!open && !req.migrationId) throw new Error(`deploy request #${id} has no online migration to cut over; deploy it first.`);
  const m = open ?? (await core.migrations.load(core.target, Number(req.migrationId), core.opts.migration));
  let stallMs = 0;
  // A resumed deploy whose process died right after the swap is already cut over (and may have applied some objects).
  const resumed = m.phase === 'cut_over';
  let objectUndo: ObjectStatement[] = [];
  if (!resumed) {
    try {
      objectUndo = await recordObjectUndo(core, req);
      opts.onProgress?.(req.progress, 'cutting-over');
      core.events.emit('progress', { id, phase: 'cutting-over', tables: req.progress });
      m.onBlockersKilled = recordKills(core, req);
      stallMs = (await m.cutOver()).stallMs;
    } catch (err) {
      // The engine settles a failed swap back to ready_to_cut_over when nothing was renamed: then trying again is safe.
      throw await failed(core, id, m, err, 'cutover', m.phase === 'ready_to_cut_over');
    }
  } else objectUndo = await recordObjectUndo(core, req);
  try {
    // Right after the swap: views over the new tables need their columns (objects.ts).
    await applyObjects(core, req, objectUndo, resumed);
  } catch (err) {
    throw await failed(core, id, m, new Error(`the tables were cut over, but the views, triggers, routines and events were not changed (those that were are put back): ${messageOf(err)}. Revert puts the tables back too.`), 'cutover', false);
  }
  const window = core.opts.revertWindowSeconds ?? req.revertWindowSeconds;
  const after = await core.move(
    id,
    'cut_over',
    { cut_over_at: { now: true }, window_deadline: { nowPlusSeconds: window }, owner: null, ...errorPatch(null) },
    `cut over: writes waited ${stallMs} ms; revert possible for ${formatSeconds(window)}`,
  );
  opts.onProgress?.(after.progress, 'done');
  core.events.emit('progress', { id, phase: 'done', tables: after.progress });
  opts.onState?.(after, `cut over (writes waited ${stallMs} ms)`);
  if (window <= 0) {
    try {
      await m.finish();
    } finally {
      await m.close().catch(() => undefined);
    }
    return core.move(id, 'finish', { finished_at: { now: true } }, 'no revert window: the old tables were dropped');
  }
  await m.close().catch(() => undefined);
  return after;
}

/** Writes each connection a cut-over or revert killed into the request's history (migration.killBlockersAfterSeconds). */
export function recordKills(core: DeployCore, req: DeployRequest): (killed: Blocker[]) => Promise<void> {
  return async (killed) => {
    const said = `killed ${killed.length === 1 ? 'a connection' : `${killed.length} connections`} holding the tables after waiting migration.killBlockersAfterSeconds: ${killed.map(describeBlocker).join('; ')}`;
    // The history is a record, not a step of the swap: failing to write it must not fail the cut-over.
    await core.store.note(req.id, req.state, said, await core.actor()).catch(() => undefined);
  };
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}
