/**
 * Deploying a request: take the target's lock (or queue for it), re-check
 * main, then drive the online migration through copy and cut-over. Errors
 * end in an error state that says whether running the command again is safe.
 */
import { CopyProgress, type ProgressListener } from './copy-progress.js';
import { NotDeployableError, DeployBusyError, onlyCopyRefused, type DeployCore } from './core.js';
import { acquireLock, deployLockName } from './lock.js';
import { messageOf, retrySafeOf } from './errors.js';
import type { OnlineMigration } from '../migration/index.js';
import { checkTargetFree, rebaseOntoMain } from './recheck.js';
import type { DeployRequest } from './record.js';
import { transition } from './state.js';
import { errorPatch } from './store.js';
import { busyReason, releaseTarget, withTarget, type HeldTarget } from './target-lock.js';
import { processOwner } from './lock.js';
import { openConnection } from './store.js';
import { cutOverAndOpenWindow, nextMigrationId } from './cutover.js';
import { deployInstantly } from './instant.js';
import { requireApproved } from './reviews.js';
import { reconcile } from './reconcile.js';
import { deployObjectsOnly } from './object-deploy.js';
import { changesTables } from './objects.js';

export interface DeployOptions {
  /** Stop at pending_cutover once the copy is done; `apply` cuts over. */
  gated?: boolean;
  /** Deploy by the server's instant ALTER (no row copy) instead of the online copy; refused when the server cannot (deploy/instant.ts). */
  instant?: boolean;
  /** When another deploy holds the target: queue and wait for it (true) or refuse (false, default). */
  wait?: boolean;
  /** `paused` is true while `pause` holds the copy (repeated on each idle beat). */
  onProgress?: ProgressListener;
  onState?: (r: DeployRequest, message: string) => void;
}

const QUEUE_POLL_SECONDS = 1;

/** Whether the verdict lets this deploy go; an instant one only needs the server's own verdict, asked next. */
function deployableBy(req: DeployRequest, instant: boolean): boolean {
  return req.lint.deployable || (instant && onlyCopyRefused(req.lint.reasons));
}

/**
 * A request still marked as being worked on, by no process of this engine: its
 * process may be gone (it died, or it stayed up while the database server
 * restarted and took its locks away). A long-lived process (the editor's
 * language server) meets this long after its start-up reconcile, so a deploy or
 * revert asked for now records it first, exactly as reconcile does at start-up;
 * a request that a live process holds is left alone.
 */
export async function settleOrphan(core: DeployCore, req: DeployRequest): Promise<DeployRequest> {
  const busy = req.state === 'queued' || req.state === 'in_progress' || req.state === 'in_progress_revert';
  if (!busy || core.running.has(req.id)) return req;
  await reconcile(core, { resume: false });
  return core.store.get(req.id);
}

export async function deploy(core: DeployCore, id: number, opts: DeployOptions = {}): Promise<DeployRequest> {
  const req = await settleOrphan(core, await core.store.get(id));
  transition(id, req.state, 'start');
  if (req.state === 'error_retryable' && req.error?.during === 'revert') {
    throw new Error(`deploy request #${id} failed while reverting; run \`deploy-request revert ${id}\` to retry the revert.`);
  }
  if (!deployableBy(req, opts.instant === true)) throw new NotDeployableError(id, req.lint.reasons);
  await requireApproved(core, req);

  const held = await acquireOrQueue(core, req, opts);
  try {
    // Between opening and now someone may have cancelled it (from the queue) or started it.
    const current = await core.store.get(id);
    transition(id, current.state, 'start');
    await checkTargetFree(core, current);
    const rebased = await rebaseOntoMain(core, current);
    // A rebase may have changed the statements: approvals of the old diff do not cover them.
    await requireApproved(core, rebased);
    if (rebased.state === 'error_retryable' && rebased.error?.during === 'cutover') return await cutOverAndOpenWindow(core, rebased, opts);
    if (!changesTables(rebased.changes)) return await deployObjectsOnly(core, rebased, opts);
    if (opts.instant) {
      if (rebased.migrationId) throw new Error(`deploy request #${id} has an online copy under way (migration #${rebased.migrationId}); resume it without --instant, or cancel it first.`);
      return await deployInstantly(core, rebased, opts);
    }
    return await copyAndCutOver(core, rebased, opts);
  } finally {
    await releaseTarget(held);
  }
}

async function acquireOrQueue(core: DeployCore, req: DeployRequest, opts: DeployOptions): Promise<HeldTarget> {
  const conn = await openConnection(core.target);
  const name = deployLockName(req.targetDatabase);
  try {
    if (await acquireLock(conn, name, 0)) return { conn, name };
    const reason = await busyReason(core, conn, req.targetDatabase, req.id);
    if (!opts.wait) throw new DeployBusyError(`deploy request #${req.id} cannot start now: ${reason}. Run it with --wait to queue it behind, or try again later.`);
    const queued = await core.move(req.id, 'queue', { owner: processOwner() }, `queued: ${reason}`);
    opts.onState?.(queued, `queued: ${reason}`);
    // GET_LOCK with a short timeout is the wait; between tries, see whether we were cancelled.
    while (!(await acquireLock(conn, name, QUEUE_POLL_SECONDS))) {
      const now = await core.store.get(req.id);
      if (now.state !== 'queued') throw new Error(`deploy request #${req.id} left the queue: it is ${now.state} now.`);
    }
    return { conn, name };
  } catch (err) {
    await conn.end().catch(() => conn.destroy());
    throw err;
  }
}

async function copyAndCutOver(core: DeployCore, req: DeployRequest, opts: DeployOptions): Promise<DeployRequest> {
  const id = req.id;
  const gated = opts.gated ?? req.gated;
  // An earlier attempt whose process died keeps its checkpoints: resume it rather than copy again.
  const previous = req.migrationId ? await core.migrations.load(core.target, Number(req.migrationId), core.opts.migration).catch(() => undefined) : undefined;
  const resumable = previous !== undefined && (previous.phase === 'prepared' || previous.phase === 'copying' || previous.phase === 'ready_to_cut_over');
  if (previous && !resumable) await previous.close().catch(() => undefined);
  const started = await core.move(
    id,
    'start',
    { owner: processOwner(), started_at: { now: true }, gated, cancel_requested: false, paused: false, ...(resumable ? {} : { progress: null }), ...errorPatch(null) },
    resumable ? `resuming the copy of migration #${req.migrationId} from its checkpoints` : 'deploying: copying rows into shadow tables',
  );
  opts.onState?.(started, 'deploying');
  if (resumable) return continueCopy(core, started, previous, opts, gated);

  let m: OnlineMigration;
  try {
    const migrationId = nextMigrationId(req);
    m = await core.migrations.prepare(core.target, req.targetDatabase, migrationId, req.changes, core.opts.migration);
    await core.store.patch(id, { migration_id: migrationId });
  } catch (err) {
    throw await failed(core, id, undefined, err, 'deploy');
  }
  return continueCopy(core, await core.store.get(id), m, opts, gated);
}

/** Copies (or resumes copying) rows, then stops at pending_cutover when gated or cuts over. The caller holds the target. */
export async function continueCopy(core: DeployCore, req: DeployRequest, m: OnlineMigration, opts: DeployOptions, gated: boolean): Promise<DeployRequest> {
  const id = req.id;
  const controller = new AbortController();
  core.running.set(id, controller);
  const progress = new CopyProgress(core, id, controller, m, opts.onProgress);
  // Settings tuned on an earlier run of this request (or before it started) win over the configuration.
  if (req.tuning) m.tune(req.tuning);
  core.copies.set(id, progress);
  try {
    await m.copy(progress.update, controller.signal, progress.onWait);
    // A cancel asked for by another process after the last progress beat still wins over the cut-over.
    await progress.flush();
    if ((await core.store.get(id)).cancelRequested) controller.abort(new Error(`deploy request #${id} was cancelled`));
    if (controller.signal.aborted) throw controller.signal.reason;
  } catch (err) {
    await progress.flush().catch(() => undefined);
    if (controller.signal.aborted) return await cancelled(core, id, m);
    throw await failed(core, id, m, err, 'deploy');
  } finally {
    progress.stop();
    core.running.delete(id);
    core.copies.delete(id);
  }

  if (gated) {
    progress.publish('waiting-cutover');
    await m.close().catch(() => undefined);
    const waiting = await core.move(id, 'copy_done', {}, 'rows copied; the shadow tables are kept in sync until `apply` cuts over');
    opts.onState?.(waiting, 'waiting for cut-over');
    return waiting;
  }
  return cutOverAndOpenWindow(core, await core.store.get(id), opts, m);
}

/** Cuts over a gated deploy that waits in pending_cutover (or whose cut-over failed and is safe to retry). */
export async function apply(core: DeployCore, id: number, opts: DeployOptions = {}): Promise<DeployRequest> {
  const req = await core.store.get(id);
  if (!(req.state === 'error_retryable' && req.error?.during === 'cutover')) transition(id, req.state, 'cut_over');
  if (req.state === 'in_progress') throw new Error(`deploy request #${id} is still copying rows; it cuts over by itself unless it was deployed with --gated.`);
  return withTarget(core, req.targetDatabase, id, 'apply', () => cutOverAndOpenWindow(core, req, opts));
}

async function cancelled(core: DeployCore, id: number, m: OnlineMigration | undefined): Promise<DeployRequest> {
  await m?.abort().catch(() => undefined);
  await m?.close().catch(() => undefined);
  return core.move(id, 'cancel', { finished_at: { now: true }, owner: null }, 'cancelled during the copy; the shadow tables were removed and main is unchanged');
}

/** Records the failure (after cleaning up if that is possible) and returns the error to throw. */
export async function failed(core: DeployCore, id: number, m: OnlineMigration | undefined, err: unknown, during: string, safeHint?: boolean): Promise<Error> {
  const said = retrySafeOf(err) ?? safeHint;
  let cleaned = m === undefined;
  let cleanupError = '';
  let cleanupRetrySafe = false;
  if (m && during === 'deploy') {
    try {
      await m.abort();
      cleaned = true;
    } catch (e) {
      cleanupError = ` Removing the shadow tables also failed: ${messageOf(e)}.`;
      // A cleanup that only waited too long for another connection left the migration whole: deploying again resumes it, cancel removes it.
      cleanupRetrySafe = retrySafeOf(e) === true;
    }
  }
  await m?.close().catch(() => undefined);
  // Dropping the old tables can simply be tried again; a half-done revert or cut-over needs a look first unless the engine says otherwise.
  const safe = said ?? ((during === 'deploy' && (cleaned || cleanupRetrySafe)) || during === 'finish');
  const message = `${messageOf(err)}${cleanupError}`;
  const next = safe
    ? during === 'deploy'
      ? `main is unchanged. Fix the cause, then run \`deploy-request deploy ${id}\` again.`
      : `Run \`deploy-request ${during === 'revert' ? 'revert' : during === 'finish' ? 'skip-revert' : 'apply'} ${id}\` again.`
    : `Do not retry blindly: inspect the tables of ${id} (\`deploy-request show ${id}\`), then cancel it or fix the server by hand.`;
  await core
    .move(id, safe ? 'fail_retryable' : 'fail_needs_attention', { owner: null, ...errorPatch({ message, retrySafe: safe, during, next }) }, `failed during ${during}: ${message}`)
    .catch(() => undefined);
  const e = new Error(`deploy request #${id} failed during ${during}: ${message}\n${safe ? 'Retry is safe: ' : 'Retry is NOT safe: '}${next}`);
  (e as Error & { retrySafe: boolean }).retrySafe = safe;
  return e;
}
