/**
 * The checks a deploy makes once it holds the target's lock: nothing else is
 * half-way through on the same database, and main has not moved on under the
 * tables this request changes.
 */
import type { Pool } from 'mysql2/promise';
import { MainMovedError, type DeployCore } from './core.js';
import { movedTables, schemaFingerprints } from './fingerprint.js';
import type { DeployRequest } from './record.js';
import type { Schema } from '../schema/model.js';
import { readDeploySchema } from './live-schema.js';

export async function readSchema(core: DeployCore, pool: Pool, database: string): Promise<Schema> {
  const conn = await pool.getConnection();
  try {
    return await readDeploySchema(conn, database);
  } finally {
    conn.release();
  }
}

/** Refuses while another request on the same database waits for its cut-over or keeps a revert window on the same tables. */
export async function checkTargetFree(core: DeployCore, req: DeployRequest): Promise<void> {
  const others = (await core.store.list({ targetDatabase: req.targetDatabase, states: ['in_progress', 'pending_cutover', 'in_progress_revert', 'complete_pending_revert'] })).filter(
    (r) => r.id !== req.id,
  );
  const mine = new Set(req.changes.map((c) => c.table));
  for (const o of others) {
    if (o.state === 'pending_cutover') {
      throw new Error(`deploy request #${req.id} cannot start: deploy request #${o.id} has copied its rows into ${req.targetDatabase} and waits for its cut-over. Run \`deploy-request apply ${o.id}\` or \`deploy-request cancel ${o.id}\` first.`);
    }
    if (o.state === 'complete_pending_revert') {
      const shared = o.changes.map((c) => c.table).filter((t) => mine.has(t));
      if (shared.length > 0) {
        throw new Error(
          `deploy request #${req.id} cannot start: deploy request #${o.id} keeps a revert window open on ${shared.join(', ')} until ${o.windowDeadline ?? '?'}. ` +
            `Run \`deploy-request skip-revert ${o.id}\` (or revert it) first, then deploy #${req.id}.`,
        );
      }
      continue;
    }
    throw new Error(`deploy request #${req.id} cannot start: deploy request #${o.id} is ${o.state} on ${req.targetDatabase} but no process works on it. The next schemabranch command resumes or fails it; or run \`deploy-request cancel ${o.id}\`.`);
  }
}

/**
 * When main changed since the request was opened: if none of the changed
 * tables is one this request changes, its statements still apply as written,
 * so the request is rebased (its fingerprints of main updated, noted in the
 * event log). Otherwise it is refused with MainMovedError.
 */
export async function rebaseOntoMain(core: DeployCore, req: DeployRequest): Promise<DeployRequest> {
  const main = await readSchema(core, core.pool, req.targetDatabase);
  const now = schemaFingerprints(main);
  const moved = movedTables(req.mainFingerprints, now);
  if (moved.length === 0) return req;
  const mine = new Set(req.changes.map((c) => c.table));
  // A foreign key that names a moved table is also a clash: the referenced columns may be gone.
  const referenced = new Set(req.changes.flatMap((c) => (c.after?.foreignKeys ?? []).map((fk) => fk.refTable)));
  const clash = moved.filter((t) => mine.has(t) || referenced.has(t));
  if (clash.length > 0) throw new MainMovedError(req.id, clash);
  await core.store.patch(req.id, { main_fingerprints: JSON.stringify(now) });
  await core.store.note(req.id, req.state, `main moved on since the request was opened (${moved.join(', ')}); none of those tables is changed by it, so it was rebased onto main as it is now`, await core.actor());
  return core.store.get(req.id);
}
