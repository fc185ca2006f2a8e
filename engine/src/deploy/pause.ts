/**
 * Pausing and resuming a deploy's row copy. The store's `paused` flag is the
 * truth: a copy in this process is told at once, one in another process
 * reads the flag at its next progress beat (a paused copy keeps an idle beat
 * for that). Only a request that is copying (in_progress) can be paused.
 */
import { someoneWorksOn } from './cancel.js';
import type { DeployCore } from './core.js';
import type { DeployRequest } from './record.js';

export class PauseRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PauseRefusedError';
  }
}

export async function pause(core: DeployCore, id: number): Promise<DeployRequest> {
  return setPaused(core, id, true);
}

export async function resume(core: DeployCore, id: number): Promise<DeployRequest> {
  return setPaused(core, id, false);
}

async function setPaused(core: DeployCore, id: number, paused: boolean): Promise<DeployRequest> {
  const req = await core.store.get(id);
  if (req.state !== 'in_progress') {
    throw new PauseRefusedError(
      `deploy request #${id} is ${req.state}; only a request that is copying rows (in_progress) can be ${paused ? 'paused' : 'resumed'}. Nothing changed.`,
    );
  }
  if (req.paused === paused) return req;
  const local = core.copies.get(id);
  if (local && !local.canPause) throw new PauseRefusedError(`deploy request #${id} cannot be ${paused ? 'paused' : 'resumed'}: its migration engine has no pause. Nothing changed; cancel it if it must stop.`);
  if (!local && !(await someoneWorksOn(core, req.targetDatabase))) {
    throw new PauseRefusedError(
      `deploy request #${id} is in_progress but no process is copying it (its process may have died). Nothing changed: run \`deploy-request deploy ${id}\` to resume the copy, or cancel it.`,
    );
  }
  // The store first: a beat that reads it meanwhile sees the new value, never undoes it.
  await core.store.patch(id, { paused });
  local?.setPaused(paused);
  const actor = await core.actor();
  await core.store.note(id, req.state, paused ? `paused by ${actor}` : `resumed by ${actor}`, actor);
  return core.store.get(id);
}
