/**
 * Cancelling a deploy request. Before any copy it is only a state change; while
 * a copy runs in this process its AbortController stops it; in another process
 * a flag in the store stops it at its next progress beat; a copy nobody runs
 * any more (gated, or its process died) is aborted here.
 */
import type { DeployCore } from './core.js';
import type { DeployRequest } from './record.js';
import { transition } from './state.js';
import { messageOf } from './errors.js';
import type { OnlineMigration } from '../migration/index.js';
import { withTarget } from './target-lock.js';
import { acquireLock, deployLockName, releaseLock } from './lock.js';
import { openConnection } from './store.js';
import { attemptOf } from './cutover.js';
import { findLeftObjects, removeLeftObjects } from '../migration/cleanup.js';

const CANCEL_WAIT_MS = 120_000;

export async function cancel(core: DeployCore, id: number): Promise<DeployRequest> {
  const req = await core.store.get(id);
  transition(id, req.state, 'cancel');
  if (req.state === 'open' || req.state === 'queued') {
    return core.move(id, 'cancel', { finished_at: { now: true } }, 'cancelled before it started');
  }
  const local = core.running.get(id);
  if (local) {
    local.abort(new Error(`deploy request #${id} was cancelled`));
    return cancelledOrSay(id, await waitUntilLeft(core, id, 'in_progress'));
  }
  if (req.state === 'in_progress' && (await someoneWorksOn(core, req.targetDatabase))) {
    await core.store.patch(id, { cancel_requested: true });
    return cancelledOrSay(id, await waitUntilLeft(core, id, 'in_progress'));
  }
  return withTarget(core, req.targetDatabase, id, 'cancel', async () => {
    let note = 'cancelled';
    if (req.migrationId) {
      // No record (a prepare that died before writing one) leaves only what the sweep below finds.
      const m = (await core.migrations.load(core.target, Number(req.migrationId), core.opts.migration).catch(() => undefined)) as OnlineMigration | undefined;
      if (m) {
        try {
          await m.abort();
        } catch (err) {
          throw new Error(`deploy request #${id} could not be cancelled: removing its shadow tables failed: ${messageOf(err)}. Nothing is half-removed; run cancel again once the cause is fixed.`);
        } finally {
          await m.close().catch(() => undefined);
        }
        note = 'cancelled; the shadow tables and triggers were removed and main is unchanged';
      }
    }
    // Whatever the server still shows of any attempt of this request goes too, recorded or not.
    const swept = await sweepRequest(core, req).catch((err: unknown) => {
      throw new Error(`deploy request #${id} could not be cancelled: removing its leftover triggers and tables failed: ${messageOf(err)}. Nothing is half-removed; run cancel again once the cause is fixed.`);
    });
    if (swept > 0) note = 'cancelled; the shadow tables and triggers were removed and main is unchanged';
    return core.move(id, 'cancel', { finished_at: { now: true }, owner: null }, note);
  });
}

/** Removes the engine objects of every attempt of this request that the server shows; returns how many there were. */
async function sweepRequest(core: DeployCore, req: DeployRequest): Promise<number> {
  const conn = await openConnection(core.target);
  try {
    const found = await findLeftObjects(conn, req.targetDatabase, (migrationId) => attemptOf(migrationId, req.id));
    await removeLeftObjects(conn, req.targetDatabase, found);
    return found.triggers.length + found.tables.length + found.changelogs.length;
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

/** The copy may finish (or fail) before the cancel reaches it: say so instead of pretending. */
function cancelledOrSay(id: number, r: DeployRequest): DeployRequest {
  if (r.state === 'cancelled') return r;
  const next = r.state === 'complete_pending_revert' ? ` Its revert window is open: \`deploy-request revert ${id}\` puts the old schema back.` : '';
  throw new Error(`deploy request #${id} could not be cancelled: it had moved on to ${r.state} before the cancel reached it.${next}`);
}

export async function someoneWorksOn(core: DeployCore, database: string): Promise<boolean> {
  const conn = await openConnection(core.target);
  try {
    const name = deployLockName(database);
    if (!(await acquireLock(conn, name, 0))) return true;
    await releaseLock(conn, name);
    return false;
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

/** Waits for the running deploy to notice the cancel and record it (the deploy's own process moves the state). */
async function waitUntilLeft(core: DeployCore, id: number, state: DeployRequest['state']): Promise<DeployRequest> {
  const deadline = Date.now() + CANCEL_WAIT_MS;
  return new Promise<DeployRequest>((resolve, reject) => {
    const onState = (c: { id: number; state: DeployRequest['state']; request: DeployRequest }) => {
      if (c.id === id && c.state !== state) finish(c.request);
    };
    let timer: NodeJS.Timeout | undefined;
    const finish = (r: DeployRequest | Error) => {
      core.events.off('state', onState);
      if (timer) clearTimeout(timer);
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
    core.events.on('state', onState);
    // Another process's deploy is seen only through the store.
    const poll = () => {
      core.store
        .get(id)
        .then((r) => {
          if (r.state !== state) return finish(r);
          if (Date.now() > deadline) return finish(new Error(`deploy request #${id} did not stop within ${CANCEL_WAIT_MS / 1000} s of the cancel; it is still ${state}. Its process may be stuck: run cancel again after it exits.`));
          timer = setTimeout(poll, 250);
        })
        .catch((err: unknown) => finish(err instanceof Error ? err : new Error(String(err))));
    };
    poll();
  });
}
