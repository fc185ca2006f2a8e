/**
 * What every engine start does first (CLI command, language server start):
 * close revert windows whose deadline passed while nothing ran, and pick up
 * requests whose process died: resume the copy, or record an error state that
 * says whether retrying is safe.
 */
import { DeployBusyError, type DeployCore } from './core.js';
import { messageOf } from './errors.js';
import { closeWindow } from './revert-window.js';
import { continueCopy, failed, type DeployOptions } from './run.js';
import { cutOverAndOpenWindow } from './cutover.js';
import { undoObjects } from './object-deploy.js';
import { holdTarget, releaseTarget } from './target-lock.js';
import { errorPatch } from './store.js';
import { processOwner } from './lock.js';
import type { DeployRequest } from './record.js';

export interface ReconcileOptions {
  /** Resume copies whose process died (default true); false records them as error_retryable instead. */
  resume?: boolean;
  /** Progress and state callbacks for resumed deploys. */
  deploy?: DeployOptions;
}

export interface ReconcileReport {
  /** Revert windows that had expired and were closed (old tables dropped). */
  finished: number[];
  /** Deploys resumed after their process died. */
  resumed: number[];
  /** Requests moved to an error state (see each request's error for whether retry is safe). */
  failed: number[];
  /** Queued requests whose waiting process exited, back to open. */
  requeued: number[];
  /** Requests left alone, and why (another live process works on them). */
  skipped: Array<{ id: number; reason: string }>;
}

export async function reconcile(core: DeployCore, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  const report = await closeExpiredWindows(core);
  // Only this workspace's main database: another workspace on the same server resumes its own, with its own options.
  const orphans = await core.store.list({ targetDatabase: core.opts.mainDatabase, states: ['queued', 'in_progress', 'in_progress_revert'] });
  for (const req of orphans) {
    if (core.running.has(req.id)) continue;
    await underLock(core, req, report, async () => {
      // Re-read under the lock: the process we thought dead may have finished just now.
      const now = await core.store.get(req.id);
      await pickUp(core, now, opts, report);
    });
  }
  return report;
}

/** Closes every revert window of this workspace's main database whose deadline passed by the server's clock (old tables dropped, request complete). */
export async function closeExpiredWindows(core: DeployCore): Promise<ReconcileReport> {
  const report: ReconcileReport = { finished: [], resumed: [], failed: [], requeued: [], skipped: [] };
  for (const id of await core.store.expiredWindows(core.opts.mainDatabase)) {
    await underLock(core, await core.store.get(id), report, async () => {
      const now = await core.store.get(id);
      if (now.state !== 'complete_pending_revert') return;
      await closeWindow(core, id, 'the revert window closed: the old tables were dropped');
      report.finished.push(id);
    });
  }
  return report;
}

/** Runs `fn` holding the request's target; a target held by a live process means that process owns the request. */
async function underLock(core: DeployCore, req: DeployRequest, report: ReconcileReport, fn: () => Promise<void>): Promise<void> {
  let held;
  try {
    held = await holdTarget(core, req.targetDatabase, req.id, 'reconcile');
  } catch (err) {
    if (err instanceof DeployBusyError) {
      report.skipped.push({ id: req.id, reason: err.message });
      return;
    }
    throw err;
  }
  try {
    await fn();
  } catch (err) {
    if (!report.failed.includes(req.id)) report.failed.push(req.id);
    report.skipped.push({ id: req.id, reason: messageOf(err) });
  } finally {
    await releaseTarget(held);
  }
}

async function pickUp(core: DeployCore, req: DeployRequest, opts: ReconcileOptions, report: ReconcileReport): Promise<void> {
  const id = req.id;
  if (req.state === 'queued') {
    await core.move(id, 'requeue', { owner: null }, 'the process waiting in the queue exited; the request is open again');
    report.requeued.push(id);
    return;
  }
  if (req.state === 'in_progress') {
    if (!req.migrationId && req.objectUndo) {
      // A request of views, triggers, routines and events only: deploying again runs what is left (a CREATE that finds its object counts as done).
      await core.move(id, 'fail_retryable', { owner: null, ...errorPatch({ message: `the process ${req.owner ?? ''} stopped while applying the views, triggers, routines and events`, retrySafe: true, during: 'deploy', next: `Run \`deploy-request deploy ${id}\` again to finish them.` }) }, 'the deploying process stopped while applying the objects');
      report.failed.push(id);
      return;
    }
    if (!req.migrationId) {
      await core.move(id, 'fail_retryable', { owner: null, ...errorPatch({ message: `the process ${req.owner ?? ''} stopped before the copy started`, retrySafe: true, during: 'deploy', next: `main is unchanged. Run \`deploy-request deploy ${id}\` again.` }) }, 'the deploying process stopped before the copy started');
      report.failed.push(id);
      return;
    }
    if (opts.resume === false) {
      await core.move(id, 'fail_retryable', { owner: null, ...errorPatch({ message: `the process ${req.owner ?? ''} stopped during the copy`, retrySafe: true, during: 'deploy', next: `Run \`deploy-request deploy ${id}\` to start the copy again, or cancel it.` }) }, 'the deploying process stopped during the copy');
      report.failed.push(id);
      return;
    }
    let m;
    try {
      m = await core.migrations.load(core.target, Number(req.migrationId), core.opts.migration);
    } catch (err) {
      throw await failed(core, id, undefined, err, 'resume');
    }
    await core.store.patch(id, { owner: processOwner() });
    await core.store.note(id, req.state, `resumed by ${processOwner()} after the deploying process ${req.owner ?? ''} stopped (migration phase ${m.phase})`, await core.actor());
    if (m.phase === 'aborted') {
      await m.close().catch(() => undefined);
      await core.move(id, 'fail_retryable', { owner: null, ...errorPatch({ message: 'the deploying process stopped after its migration was aborted', retrySafe: true, during: 'deploy', next: `main is unchanged. Run \`deploy-request deploy ${id}\` again.` }) }, 'the deploying process stopped; its migration had been aborted');
      report.failed.push(id);
      return;
    }
    if (m.phase === 'reverted' || m.phase === 'finished') {
      await m.close().catch(() => undefined);
      await core.move(id, 'fail_needs_attention', { owner: null, ...errorPatch({ message: `the deploy's migration is ${m.phase}, which an in-progress deploy cannot be`, retrySafe: false, during: 'resume', next: `Inspect ${req.targetDatabase} and cancel deploy request #${id}.` }) }, `migration found ${m.phase}`);
      report.failed.push(id);
      return;
    }
    report.resumed.push(id);
    // cut_over: the process died right after the swap, and cutOverAndOpenWindow only records it.
    if (m.phase === 'cut_over') await cutOverAndOpenWindow(core, req, opts.deploy ?? {}, m);
    else await continueCopy(core, req, m, opts.deploy ?? {}, req.gated);
    return;
  }
  // in_progress_revert: the engine settles from the server's tables whether the swap back happened.
  if (!req.migrationId && req.objectUndo) {
    await undoObjects(core, req);
    await core.move(id, 'revert_done', { finished_at: { now: true }, window_deadline: null, owner: null }, 'the reverting process stopped; the previous views, triggers, routines and events were put back');
    report.resumed.push(id);
    return;
  }
  if (req.migrationId) {
    const m = await core.migrations.load(core.target, Number(req.migrationId), core.opts.migration).catch(() => undefined);
    const phase = m?.phase;
    await m?.close().catch(() => undefined);
    if (phase === 'reverted') {
      // The swap back happened; the previous views, triggers, routines and events may not be back yet (safe to run again).
      await undoObjects(core, req);
      await core.move(id, 'revert_done', { finished_at: { now: true }, window_deadline: null, owner: null }, 'the reverting process stopped after the swap: the old schema is back');
      report.resumed.push(id);
      return;
    }
    if (phase === 'cut_over') {
      await core.move(id, 'revert_back', { owner: null }, 'the reverting process stopped before the swap: nothing changed, the revert window is open');
      report.resumed.push(id);
      return;
    }
  }
  await core.move(
    id,
    'fail_needs_attention',
    { owner: null, ...errorPatch({ message: 'the process stopped while reverting', retrySafe: false, during: 'revert', next: `Check the tables of deploy request #${id} with \`deploy-request show ${id}\`; then run revert again or cancel.` }) },
    'the reverting process stopped mid-way',
  );
  report.failed.push(id);
}
