/**
 * The revert window: revert swaps the old tables back (no row copy: the
 * migration engine kept them in sync), skip-revert or the deadline drops them.
 */
import type { DeployCore } from './core.js';
import type { DeployRequest } from './record.js';
import { transition } from './state.js';
import { failed, settleOrphan } from './run.js';
import { withTarget } from './target-lock.js';
import { recordKills } from './cutover.js';
import { instantRevertWarnings, revertInstantly } from './instant.js';
import { messageOf } from './errors.js';
import type { OnlineMigration } from '../migration/index.js';
import { undoObjects } from './object-deploy.js';

export class RevertRefusedError extends Error {
  constructor(
    readonly id: number,
    readonly problems: string[],
  ) {
    super(`deploy request #${id} cannot be reverted safely:\n${problems.map((p) => `  - ${p}`).join('\n')}\nNothing was changed; the revert window stays open.`);
    this.name = 'RevertRefusedError';
  }
}

async function loadMigration(core: DeployCore, req: DeployRequest): Promise<OnlineMigration> {
  if (!req.migrationId) throw new Error(`deploy request #${req.id} has no migration recorded; it cannot be reverted.`);
  return core.migrations.load(core.target, Number(req.migrationId), core.opts.migration);
}

export async function revert(core: DeployCore, id: number, onWarning?: (w: string) => void): Promise<DeployRequest> {
  const req = await settleOrphan(core, await core.store.get(id));
  const retrying = req.state === 'error_retryable' && req.error?.during === 'revert';
  if (!retrying) transition(id, req.state, 'start_revert');
  if (req.state === 'complete_pending_revert' && (await core.store.windowExpired(id))) {
    await withTarget(core, req.targetDatabase, id, 'close the revert window of', () => closeWindow(core, id, 'the revert window closed before the revert was asked for')).catch(() => undefined);
    throw new Error(`deploy request #${id} can no longer be reverted: its revert window closed at ${req.windowDeadline ?? '?'} and the old tables were dropped. Open a deploy request that undoes the change instead.`);
  }
  if (!req.migrationId && req.objectUndo) {
    // Views, triggers, routines and events only: no table to swap back.
    return withTarget(core, req.targetDatabase, id, 'revert', async () => {
      await core.move(id, 'start_revert', { owner: null }, 'reverting the views, triggers, routines and events');
      try {
        await undoObjects(core, req);
      } catch (err) {
        throw await failed(core, id, undefined, err, 'revert', true);
      }
      return core.move(id, 'revert_done', { finished_at: { now: true }, window_deadline: null }, 'reverted: the previous views, triggers, routines and events are back');
    });
  }
  if (req.instantUndo) {
    for (const w of instantRevertWarnings(req)) onWarning?.(w);
    return withTarget(core, req.targetDatabase, id, 'revert', async () => {
      await core.move(id, 'start_revert', { owner: null }, 'reverting the instant deploy');
      const res = await revertInstantly(core, req);
      if (res.error !== undefined) {
        if (res.done === 0) {
          await core.move(id, 'revert_back', {}, `revert did not happen: ${messageOf(res.error)}`);
          throw new Error(`deploy request #${id} was not reverted: ${messageOf(res.error)}\nNothing changed: the new schema is still live and the revert window stays open until ${req.windowDeadline ?? '?'}. Retry is safe: run revert again.`);
        }
        throw await failed(core, id, undefined, res.error, 'revert');
      }
      const stallMs = res.stallMs;
      return core.move(id, 'revert_done', { finished_at: { now: true }, window_deadline: null }, `reverted instantly (writes waited ${stallMs} ms): the old definitions are back`);
    });
  }
  return withTarget(core, req.targetDatabase, id, 'revert', async () => {
    const m = await loadMigration(core, req);
    try {
      const pre = await m.preflightRevert();
      for (const w of pre.warnings) onWarning?.(w);
      if (!pre.ok) throw new RevertRefusedError(id, pre.problems);
    } catch (err) {
      await m.close().catch(() => undefined);
      throw err;
    }
    await core.move(id, 'start_revert', { owner: null }, 'reverting: swapping the old tables back');
    let stallMs: number | undefined;
    try {
      m.onBlockersKilled = recordKills(core, req);
      stallMs = (await m.revert()).stallMs;
    } catch (err) {
      if (m.phase === 'cut_over') {
        // Nothing was swapped: the new schema is live and the old tables still in sync, so the window simply stays open.
        await m.close().catch(() => undefined);
        await core.move(id, 'revert_back', {}, `revert did not happen: ${messageOf(err)}`);
        throw new Error(`deploy request #${id} was not reverted: ${messageOf(err)}\nNothing changed: the new schema is still live and the revert window stays open until ${req.windowDeadline ?? '?'}. Retry is safe: run revert again.`);
      }
      throw await failed(core, id, m, err, 'revert');
    }
    await m.close().catch(() => undefined);
    try {
      // Right after the swap back, as the cut-over applied them right after its swap.
      await undoObjects(core, req);
    } catch (err) {
      throw await failed(core, id, undefined, new Error(`the tables were swapped back, but the previous views, triggers, routines and events could not all be put back: ${messageOf(err)}`), 'revert', false);
    }
    const waited = stallMs === undefined ? '' : ` (writes waited ${stallMs} ms)`;
    return core.move(id, 'revert_done', { finished_at: { now: true }, window_deadline: null }, `reverted by a swap${waited}: the old schema is back, with every row written since the deploy`);
  });
}

export async function skipRevert(core: DeployCore, id: number): Promise<DeployRequest> {
  const req = await core.store.get(id);
  transition(id, req.state, 'finish');
  if (req.state === 'error_retryable' && req.error?.during !== 'finish') {
    throw new Error(`deploy request #${id} failed during ${req.error?.during ?? 'deploy'}; only a request whose revert window is open (or whose old tables failed to drop) can skip its revert.`);
  }
  return withTarget(core, req.targetDatabase, id, 'skip the revert of', () => closeWindow(core, id, 'revert skipped: the old tables were dropped'));
}

/** Finishes the migration (drops the old tables) and completes the request. The caller holds the target. */
export async function closeWindow(core: DeployCore, id: number, message: string): Promise<DeployRequest> {
  const req = await core.store.get(id);
  transition(id, req.state, 'finish');
  // An instant deploy kept no old tables: closing its window only ends the chance to undo it.
  if (req.instantUndo) return core.move(id, 'finish', { finished_at: { now: true } }, message.replace('the old tables were dropped', 'the instant deploy can no longer be undone'));
  if (!req.migrationId && req.objectUndo) return core.move(id, 'finish', { finished_at: { now: true } }, message.replace('the old tables were dropped', 'the previous definitions are no longer kept'));
  const m = await loadMigration(core, req);
  try {
    await m.finish();
  } catch (err) {
    throw await failed(core, id, m, err, 'finish');
  }
  await m.close().catch(() => undefined);
  return core.move(id, 'finish', { finished_at: { now: true } }, message);
}
