/**
 * Deploy requests made instantly (issue 11): the server edits table metadata
 * and copies no row. Chosen explicitly (`deploy --instant`); the online copy
 * stays the default because it keeps the old tables for a revert that loses
 * nothing. An instant deploy keeps a revert window only when the server can
 * undo it instantly too and the deploy dropped no value; its revert runs the
 * undoing statements, and says first which added columns it drops.
 */
import { instantVerdict, runInstant, type InstantOptions, type InstantVerdict } from '../migration/instant.js';
import { withEngineConnection } from '../migration/session.js';
import type { DeployCore } from './core.js';
import { formatSeconds } from './cutover.js';
import { messageOf } from './errors.js';
import type { DeployRequest } from './record.js';
import { processOwner } from './lock.js';
import type { DeployOptions } from './run.js';
import { errorPatch } from './store.js';

export class NotInstantError extends Error {
  constructor(
    readonly id: number,
    readonly verdict: InstantVerdict,
  ) {
    super(`deploy request #${id} cannot be deployed instantly: ${verdict.why}. Nothing was changed; deploy it without --instant to use the online copy.`);
    this.name = 'NotInstantError';
  }
}

/** Whether the request can be deployed instantly, and reverted instantly, asked of the server now. */
export async function instantVerdictOf(core: DeployCore, req: DeployRequest): Promise<InstantVerdict> {
  return withEngineConnection(core.target, (conn) => instantVerdict(conn, req.targetDatabase, req.changes));
}

function instantOptions(core: DeployCore): InstantOptions {
  const m = core.opts.migration ?? {};
  return { lockWaitSeconds: m.lockWaitSeconds ?? 0.8, attempts: m.cutOverAttempts ?? 5, blockerWaitSeconds: m.blockerWaitSeconds ?? 30 };
}

/** Deploys `req` instantly, or refuses before changing anything. The caller holds the target. */
export async function deployInstantly(core: DeployCore, req: DeployRequest, opts: DeployOptions): Promise<DeployRequest> {
  const id = req.id;
  const verdict = await instantVerdictOf(core, req);
  // Several tables are changed one ALTER at a time: only an undoable set can be put back if a later one fails.
  if (!verdict.instant || (!verdict.revertible && req.changes.length > 1)) {
    throw new NotInstantError(id, verdict.instant ? { ...verdict, why: `${verdict.why}; a request that changes several tables is deployed instantly only when each change can be undone` } : verdict);
  }
  const started = await core.move(id, 'start', { owner: processOwner(), started_at: { now: true }, cancel_requested: false, paused: false, progress: null, ...errorPatch(null) }, `deploying by the server's own path, ${verdict.why}`);
  opts.onState?.(started, 'deploying instantly');
  const statements = verdict.forward;
  let done = 0;
  let stallMs = 0;
  try {
    await withEngineConnection(core.target, async (conn) => {
      for (const s of statements) {
        stallMs += (await runInstant(conn, req.targetDatabase, [s], instantOptions(core))).stallMs;
        done++;
      }
    });
  } catch (err) {
    // What did run is put back (each change is undoable when there are several), so main is as it was.
    const undo = done > 0 ? verdict.inverse.slice(verdict.inverse.length - done) : [];
    const undone = await withEngineConnection(core.target, (conn) => runInstant(conn, req.targetDatabase, undo, instantOptions(core))).then(
      () => true,
      () => false,
    );
    const safe = undone || done === 0;
    const next = safe ? `main is unchanged. Fix the cause, then run \`deploy-request deploy ${id} --instant\` again.` : `Tables ${statements.slice(0, done).map((s) => s.table).join(', ')} were changed and could not be put back: inspect them before retrying.`;
    await core.move(id, safe ? 'fail_retryable' : 'fail_needs_attention', { owner: null, ...errorPatch({ message: messageOf(err), retrySafe: safe, during: 'deploy', next }) }, `instant deploy failed: ${messageOf(err)}`);
    throw new Error(`deploy request #${id} failed during its instant deploy: ${messageOf(err)}\n${safe ? 'Retry is safe: ' : 'Retry is NOT safe: '}${next}`);
  }
  const window = verdict.revertible ? (core.opts.revertWindowSeconds ?? req.revertWindowSeconds) : 0;
  const after = await core.move(
    id,
    'cut_over',
    { cut_over_at: { now: true }, window_deadline: { nowPlusSeconds: window }, owner: null, instant_undo: verdict.revertible ? JSON.stringify(verdict.inverse) : null, ...errorPatch(null) },
    `deployed ${verdict.method === 'in-server' ? 'in the server (online ALTER)' : 'instantly'}: writes waited ${stallMs} ms; ${verdict.revertible ? `revert possible for ${formatSeconds(window)}` : 'not revertible'}`,
  );
  opts.onState?.(after, `deployed instantly (writes waited ${stallMs} ms)`);
  if (window > 0) return after;
  return core.move(id, 'finish', { finished_at: { now: true } }, `no revert window: ${verdict.why}`);
}

/** What reverting an instant deploy loses: the values in the columns it added. */
export function instantRevertWarnings(req: DeployRequest): string[] {
  const out: string[] = [];
  for (const c of req.changes) {
    const had = new Set((c.before?.columns ?? []).map((x) => x.name.toLowerCase()));
    const added = (c.after?.columns ?? []).filter((x) => !had.has(x.name.toLowerCase())).map((x) => x.name);
    if (added.length) out.push(`Reverting drops ${added.length === 1 ? 'column' : 'columns'} ${added.map((n) => `\`${n}\``).join(', ')} of ${c.table}, with every value written to ${added.length === 1 ? 'it' : 'them'} since the deploy.`);
  }
  return out;
}

/**
 * Reverts an instant deploy by running its undoing statements, one table at a
 * time. The caller holds the target and moved the request to
 * in_progress_revert; `done` says how many ran before an error.
 */
export async function revertInstantly(core: DeployCore, req: DeployRequest): Promise<{ stallMs: number; done: number; error?: unknown }> {
  let stallMs = 0;
  let done = 0;
  try {
    await withEngineConnection(core.target, async (conn) => {
      for (const s of req.instantUndo ?? []) {
        stallMs += (await runInstant(conn, req.targetDatabase, [s], instantOptions(core))).stallMs;
        done++;
      }
    });
    return { stallMs, done };
  } catch (error) {
    return { stallMs, done, error };
  }
}
