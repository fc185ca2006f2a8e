/**
 * The cut-over of a deploy and the revert window it opens.
 */
import type { DeployCore } from './core.js';
import type { Migration } from './migration-port.js';
import type { DeployRequest } from './record.js';
import { failed, type DeployOptions } from './run.js';
import { errorPatch } from './store.js';

/**
 * The migration engine's id for a deploy request: the request's number, so
 * the helper tables it leaves beside the user's (`_users_sb3_new`) say which
 * request they belong to.
 */
export function migrationIdOf(req: DeployRequest): number {
  return req.id;
}

export async function cutOverAndOpenWindow(core: DeployCore, req: DeployRequest, opts: DeployOptions, open?: Migration): Promise<DeployRequest> {
  const id = req.id;
  const m = open ?? (await core.deps.migrations.load(core.target, Number(req.migrationId ?? migrationIdOf(req))));
  let stallMs: number;
  try {
    opts.onProgress?.([], 'cutting-over');
    core.events.emit('progress', { id, phase: 'cutting-over', tables: req.progress });
    stallMs = (await m.cutOver()).stallMs;
  } catch (err) {
    throw await failed(core, id, m, err, 'cutover');
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

export function formatSeconds(s: number): string {
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}
