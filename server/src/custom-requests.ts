/**
 * The schemabranch/* requests: branch diff from the files (no database), and
 * deploy requests, branches and the sandbox through the engine. Each handler
 * answers with protocol.ts shapes; engine errors keep their wording, which
 * already says what to do next.
 */
import { approversOf } from '../../engine/src/deploy/reviews.js';
import type { Connection, RequestHandler, RequestType } from 'vscode-languageserver';
import type { DeployRequest } from '../../engine/src/deploy/record.js';
import type { DeployState } from '../../engine/src/deploy/state.js';
import { asResponseError, unavailable, type DatabaseAccess } from './database.js';
import { ruleLink } from './diagnostics/diagnostics.js';
import { deployRequestPage } from './features/deploy-page.js';
import { branchDiff, BranchMissingError, changedDefinitionCount, MAIN_BRANCH, toChangeInfo } from './features/branch-diff.js';
import * as P from './protocol.js';
import type { Session } from './session.js';

export function toDeployRequestInfo(r: DeployRequest): P.DeployRequestInfo {
  return {
    number: r.id,
    branch: r.branch,
    into: MAIN_BRANCH,
    state: r.state,
    deployable: r.lint.deployable,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    revertDeadline: r.windowDeadline ?? undefined,
    error: r.error ? { message: `${r.error.message} ${r.error.next}`.trim(), retrySafe: r.error.retrySafe } : undefined,
    ...(r.state === 'in_progress' && r.paused ? { paused: true } : {}),
  };
}

export function toDeployRequestDetail(r: DeployRequest): P.DeployRequestDetail {
  return {
    ...toDeployRequestInfo(r),
    changes: r.changes.map(toChangeInfo),
    lint: r.lint.findings.map((f) => ({ code: f.code, severity: f.severity === 'error' || f.severity === 'warning' ? f.severity : 'info', message: f.message, table: f.table })),
  };
}

export function registerCustomRequests(connection: Connection, getSession: () => Session | undefined, getDatabase: () => DatabaseAccess | undefined): void {
  const ready = (): { s: Session; db: DatabaseAccess } => {
    const s = getSession();
    const db = getDatabase();
    if (!s || !db) throw unavailable('busy', 'The language server is still starting; try again in a moment.');
    return { s, db };
  };
  /** Runs a handler; any failure reaches the client as a ResponseError with a reason. */
  const handle = <Params, Result>(decl: { type: RequestType<Params, Result, void> }, fn: (p: Params) => Promise<Result> | Result) => {
    const run = async (params: Params): Promise<Result> => {
      try {
        return await fn(params);
      } catch (err) {
        connection.console.log(`${decl.type.method} failed: ${(err as Error).message}`);
        throw asResponseError(err);
      }
    };
    // HandlerResult's conditional type cannot be checked against a generic Result; `run` is a plain async handler.
    connection.onRequest(decl.type, run as RequestHandler<Params, Result, void>);
  };

  handle(P.BranchDiffRequest, async (p) => {
    const { s } = ready();
    await s.idle();
    try {
      return branchDiff(s.workspace, s.engine, s.normalizer, s.lintConfig, p);
    } catch (err) {
      if (err instanceof BranchMissingError) throw unavailable('branch-missing', err.message, false);
      throw err;
    }
  });

  // Deploy requests
  const deploys = () => ready().db.deployRequests();
  handle(P.CreateDeployRequest, async (p) => toDeployRequestDetail(await (await deploys()).create(p.branch)));
  handle(P.ListDeployRequests, async (p) => (await (await deploys()).list({ state: p.states as DeployState[] | undefined })).map(toDeployRequestInfo));
  handle(P.ShowDeployRequest, async (p) => toDeployRequestDetail(await (await deploys()).show(p.number)));
  handle(P.DeployRequestPageRequest, async (p) => {
    const { s } = ready();
    const dr = await deploys();
    const [request, events, reviews] = await Promise.all([dr.show(p.number), dr.history(p.number), dr.reviews(p.number)]);
    const doc = ruleLink(s.lintRulesDoc);
    return deployRequestPage({ request, detail: toDeployRequestDetail(request), events, reviews, approvers: approversOf(request, reviews), requiredApprovals: dr.opts.requireApprovals ?? 0, doc });
  });
  handle(P.DeployDeployRequest, async (p) => {
    const dr = await deploys();
    const { accepted, done } = await dr.begin(p.number, p.instant ? { instant: true } : { gated: p.gated ?? ready().s.config?.gatedDeploys });
    // The outcome travels by notification; here it is only logged so no failure goes unseen.
    done.catch((err: unknown) => connection.console.log(`deploy request #${p.number} failed: ${(err as Error).message}`));
    return toDeployRequestInfo(accepted);
  });
  handle(P.VerifyDeployRequest, async (p) => (await deploys()).verify(p.number));
  handle(P.TuneDeployRequest, async (p) => toDeployRequestInfo(await (await deploys()).tune(p.number, { chunkTargetMs: p.chunkTargetMs, maxThreadsRunning: p.maxThreadsRunning })));
  handle(P.ReviewDeployRequest, async (p) => {
    const dr = await deploys();
    const r = await dr.review(p.number, { approve: p.approve, comment: p.comment });
    return { ...toDeployRequestInfo(r), approvals: approversOf(r, await dr.reviews(p.number)).length };
  });
  handle(P.InstantVerdictRequest, async (p) => {
    const { instant, method, revertible, why } = await (await deploys()).instantVerdict(p.number);
    return { instant, method, revertible, why };
  });
  handle(P.ApplyDeployRequest, async (p) => toDeployRequestInfo(await (await deploys()).apply(p.number)));
  handle(P.RevertDeployRequest, async (p) => toDeployRequestInfo(await (await deploys()).revert(p.number, (w) => void connection.window.showWarningMessage(w))));
  handle(P.SkipRevertDeployRequest, async (p) => toDeployRequestInfo(await (await deploys()).skipRevert(p.number)));
  handle(P.CancelDeployRequest, async (p) => toDeployRequestInfo(await (await deploys()).cancel(p.number)));
  handle(P.PauseDeployRequest, async (p) => toDeployRequestInfo(await (await deploys()).pause(p.number)));
  handle(P.ResumeDeployRequest, async (p) => toDeployRequestInfo(await (await deploys()).resume(p.number)));
  handle(P.CloseDeployRequest, async (p) => toDeployRequestInfo(await (await deploys()).close(p.number)));

  // Branches
  handle(P.ListBranchesRequest, async () => {
    const { s, db } = ready();
    await s.idle();
    const main = s.workspace.branches().includes(MAIN_BRANCH) ? s.workspace.model(MAIN_BRANCH) : undefined;
    const open = new Map<string, number>();
    const deploys = db.connectedDeployRequests();
    if (deploys) {
      const active = await deploys.list({ state: ['open', 'queued', 'in_progress', 'pending_cutover', 'complete_pending_revert'] }).catch(() => []);
      for (const r of active) open.set(r.branch, r.id);
    }
    return s.workspace.branches().map((name): P.BranchInfo => {
      const model = s.workspace.model(name);
      let database: string | undefined;
      try {
        database = s.config ? db.databaseName(name) : undefined;
      } catch {
        database = undefined; // a folder whose name is not a valid branch name
      }
      return {
        name,
        folder: `${s.workspace.schemaDir}/${name}`,
        database,
        files: model.files.length,
        changesVsMain: main && name !== MAIN_BRANCH ? changedDefinitionCount(s.engine, s.normalizer, main, model) : 0,
        deployRequest: open.get(name),
      };
    });
  });
  handle(P.CreateBranchRequest, async (p) => {
    const { s, db } = ready();
    await (await db.branches()).createBranch(p.name, { from: p.from });
    await s.rescan();
    await s.idle();
    const model = s.workspace.model(p.name);
    return { name: p.name, folder: `${s.workspace.schemaDir}/${p.name}`, database: db.databaseName(p.name), files: model.files.length, changesVsMain: 0 };
  });
  handle(P.DeleteBranchRequest, async (p) => {
    const { s, db } = ready();
    await (await db.branches()).deleteBranch(p.name);
    await s.rescan();
    return { deleted: p.name };
  });
  handle(P.PushBranchRequest, async (p) => {
    const { db } = ready();
    const r = await (await db.branches()).pushBranch(p.name, { dryRun: p.dryRun === true, expect: p.expect });
    // Every statement sent (or, dry, to be sent), CREATE DATABASE first when there is one.
    return { branch: p.name, applied: [...(r.createDatabase !== undefined ? [r.createDatabase] : []), ...r.changes.map((c) => c.statement)] };
  });
  handle(P.PullBranchRequest, async (p) => {
    const { s, db } = ready();
    const r = await (await db.branches()).pullBranch(p.name);
    await s.rescan();
    return { branch: p.name, applied: [...r.written, ...r.removed.map((f) => `removed ${f}`)] };
  });

  // Sandbox
  const status = async (db: DatabaseAccess): Promise<P.SandboxStatusInfo> => {
    const st = await db.sandbox().status();
    if (!st.running) return { running: false, reason: st.reason };
    return { running: true, server: st.state.server, socketPath: st.state.socketPath, port: st.state.port, startedAt: st.state.startedAt };
  };
  handle(P.SandboxStatusRequest, () => status(ready().db));
  handle(P.SandboxStartRequest, async () => {
    const { db } = ready();
    if (db.config().connection.url) throw unavailable('not-supported', 'This workspace uses connection.url, not the embedded sandbox; remove the url from schemabranch.json to use the sandbox.', false);
    await db.sandbox().start();
    return status(db);
  });
  handle(P.SandboxStopRequest, async () => {
    const { db } = ready();
    db.forgetTarget();
    await db.sandbox().stop();
    return status(db);
  });

  // Names the server a password would be saved for (Set Password asks for it by this key); never connects.
  handle(P.ConnectionTargetRequest, () => ready().db.describeConnection());
}
