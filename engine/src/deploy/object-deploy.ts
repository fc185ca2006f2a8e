/**
 * The deploy request steps for views, triggers, routines and events
 * (objects.ts says what runs and why there): recorded before the cut-over,
 * applied right after it, undone right after the revert's swap, and a request
 * with no table change deployed and reverted by them alone.
 */
import { withEngineConnection } from '../migration/session.js';
import type { DeployCore } from './core.js';
import { formatSeconds } from './cutover.js';
import { processOwner } from './lock.js';
import { messageOf } from './errors.js';
import { forwardStatements, objectsDone, objectsOutsideMigration, runObjectStatements, undoStatements, type ObjectStatement } from './objects.js';
import type { DeployRequest } from './record.js';
import type { DeployOptions } from './run.js';
import { errorPatch } from './store.js';

/** Reads and stores what undoes the request's object changes, once, before any of them runs; the stored list when it exists. */
export async function recordObjectUndo(core: DeployCore, req: DeployRequest): Promise<ObjectStatement[]> {
  if (req.objectUndo) return req.objectUndo;
  const changes = objectsOutsideMigration(req.changes);
  if (!changes.length) return [];
  const undo = await withEngineConnection(core.target, (conn) => undoStatements(conn, req.targetDatabase, changes));
  await core.store.patch(req.id, { object_undo: JSON.stringify(undo) });
  return undo;
}

/**
 * Applies the object changes (after the tables' swap). `again`: a run cut short
 * may have applied some. On an error, what ran is put back and the error thrown.
 */
export async function applyObjects(core: DeployCore, req: DeployRequest, undo: ObjectStatement[], again: boolean): Promise<void> {
  const forward = forwardStatements(objectsOutsideMigration(req.changes));
  if (!forward.length) return;
  await withEngineConnection(core.target, async (conn) => {
    try {
      await runObjectStatements(conn, req.targetDatabase, forward, again);
    } catch (err) {
      // One undo statement per change, in reverse: the tail undoes the changes that ran.
      const done = objectsDone(err);
      await runObjectStatements(conn, req.targetDatabase, undo.slice(undo.length - done), true).catch(() => undefined);
      throw err;
    }
  });
}

/** Puts the previous object definitions back (after the revert's swap); safe to run again. */
export async function undoObjects(core: DeployCore, req: DeployRequest): Promise<void> {
  if (!req.objectUndo?.length) return;
  await withEngineConnection(core.target, (conn) => runObjectStatements(conn, req.targetDatabase, req.objectUndo!, true));
}

/** A request that changes views, triggers, routines or events only: no copy, no swap. The caller holds the target. */
export async function deployObjectsOnly(core: DeployCore, req: DeployRequest, opts: DeployOptions): Promise<DeployRequest> {
  const id = req.id;
  const started = await core.move(id, 'start', { owner: processOwner(), started_at: { now: true }, cancel_requested: false, paused: false, progress: null, ...errorPatch(null) }, 'deploying views, triggers, routines and events (no table changes)');
  opts.onState?.(started, 'deploying objects');
  try {
    const undo = await recordObjectUndo(core, started);
    await applyObjects(core, started, undo, started.objectUndo !== null);
  } catch (err) {
    const next = `main is unchanged. Fix the cause, then run \`deploy-request deploy ${id}\` again.`;
    await core.move(id, 'fail_retryable', { owner: null, ...errorPatch({ message: messageOf(err), retrySafe: true, during: 'deploy', next }) }, `deploy failed: ${messageOf(err)}`);
    throw new Error(`deploy request #${id} failed: ${messageOf(err)}\nRetry is safe: ${next}`);
  }
  const window = core.opts.revertWindowSeconds ?? req.revertWindowSeconds;
  const after = await core.move(id, 'cut_over', { cut_over_at: { now: true }, window_deadline: { nowPlusSeconds: window }, owner: null, ...errorPatch(null) }, `deployed the views, triggers, routines and events; revert possible for ${formatSeconds(window)}`);
  opts.onState?.(after, 'deployed');
  if (window > 0) return after;
  return core.move(id, 'finish', { finished_at: { now: true } }, 'no revert window');
}
