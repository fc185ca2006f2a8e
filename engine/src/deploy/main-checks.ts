/**
 * What deploy requests check against main itself, beyond lint on the files:
 * when a request is opened, whether its changes can run online at all
 * (triggers, referential actions, the keys main has now); while it waits for
 * its cut-over, whether the copy still matches main row for row.
 */
import type { SchemaChange } from '../diff/change.js';
import { isDeployable, lintDeployRequest } from '../lint/index.js';
import { describeDifferences, type Verification } from '../migration/checksum.js';
import { onlineProblems as onlineMigrationProblems } from '../migration/preflight.js';
import type { Schema } from '../schema/model.js';
import type { DeployCore } from './core.js';
import type { LintVerdict } from './record.js';
import { withTarget } from './target-lock.js';

/**
 * A new request's verdict: lint on the branch (only findings on the tables and
 * the views, triggers, routines and events it creates or changes: the rest is
 * the branch's business, not the deploy's), and what the files cannot show
 * (triggers, referential actions, the keys main has now), read from main itself.
 */
export async function verdictOf(core: DeployCore, database: string, branch: Schema, changes: SchemaChange[]): Promise<LintVerdict> {
  // The same verdict `schemabranch diff` prints: change rules, and schema rules on the tables and objects the request creates or changes.
  const violations = lintDeployRequest(branch, changes, core.opts.lint ?? {});
  const online = await onlineProblems(core, database, changes);
  return {
    deployable: isDeployable(violations) && online.length === 0,
    reasons: [...violations.filter((v) => v.severity === 'error').map((v) => `${v.code}: ${v.message}`), ...online.map((p) => `online-migration: ${p}`)],
    findings: [
      ...violations.map((v) => ({ code: v.code, severity: v.severity, message: v.message, ...(v.table ? { table: v.table } : {}) })),
      ...online.map((message) => ({ code: 'online-migration', severity: 'error' as const, message })),
    ],
  };
}

/** Why `changes` cannot run online on `database` as it is now (read from the server); empty when they can. */
async function onlineProblems(core: DeployCore, database: string, changes: SchemaChange[]): Promise<string[]> {
  const c = await core.pool.getConnection();
  try {
    return await onlineMigrationProblems(c, database, changes);
  } finally {
    c.release();
  }
}

/**
 * Compares each copy with main (the checksum the cut-over runs first), on
 * demand, while the request waits in pending_cutover. Holds the target so no
 * cut-over or other deploy runs meanwhile; writes from the application go on.
 */
export async function verify(core: DeployCore, id: number): Promise<Verification> {
  const req = await core.store.get(id);
  const waiting = req.state === 'pending_cutover' || (req.state === 'error_retryable' && req.error?.during === 'cutover');
  if (!waiting || !req.migrationId) {
    throw new Error(`deploy request #${id} is ${req.state}: verify compares a finished copy with main before its cut-over, so it runs while the request waits in pending_cutover (\`deploy-request deploy ${id} --gated\`).`);
  }
  return withTarget(core, req.targetDatabase, id, 'verify', async () => {
    const m = await core.migrations.load(core.target, Number(req.migrationId), core.opts.migration);
    try {
      const v = await m.verify();
      const rows = v.tables.reduce((n, t) => n + t.rows, 0);
      const said = v.ok ? `verified: ${rows} rows of ${v.tables.map((t) => t.table).join(', ')} match main (${v.ms} ms)` : `verify found differences: ${describeDifferences(v)}`;
      await core.store.note(id, req.state, said, await core.actor());
      return v;
    } finally {
      await m.close().catch(() => undefined);
    }
  });
}
