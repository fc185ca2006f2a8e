/**
 * `schemabranch deploy-request create|list|show|diff|deploy|pause|resume|verify|apply|revert|skip-revert|cancel|close`:
 * a thin shell over engine/src/deploy. Every run first reconciles (closes
 * expired revert windows, settles deploys whose process died), as every
 * engine start does.
 */
import { describeTuning } from '../../../engine/src/deploy/tune.js';
import { followDeploysInMainFiles } from '../../../engine/src/branch/main-files.js';
import { deployRequestsFor } from '../../../engine/src/deploy/workspace.js';
import type { DeployRequests } from '../../../engine/src/deploy/requests.js';
import type { DeployRequest } from '../../../engine/src/deploy/record.js';
import { DEPLOY_STATES, isDeployState, type DeployState } from '../../../engine/src/deploy/state.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Command, type CommandContext } from '../command.js';
import { ProgressDisplay } from '../progress.js';
import { changesJson, describeRequest, diffLines, historyLines, requestJson, requestLine } from '../../../engine/src/deploy/describe.js';

const usage = `Usage: schemabranch deploy-request <subcommand> [arguments] [--json]

A deploy request takes a branch's schema changes to main with an online
schema change: shadow tables, row copy while the application writes, an
atomic cut-over, then a revert window (30 minutes by default) in which
\`revert\` puts the old schema back with every row written since.
State lives on the server, so the CLI and the editor see the same requests.

Subcommands:
  create <branch>            open a request: the branch's live schema vs main's, and the lint verdict
  list [--state <state>]     requests of this workspace's main database (state may repeat)
  show <number>              details: changes, lint, progress, revert window, error, history
  diff <number>              the statements the request will run
  deploy <number> [--wait] [--gated] [--instant]
                             run it online; --wait queues behind a running deploy instead of
                             refusing; --gated stops at pending_cutover until \`apply\`;
                             --instant lets the server change only table metadata (no row copy),
                             refused when it cannot (see \`instant\`)
  instant <number>           ask the server whether the request can be deployed instantly and
                             reverted instantly, and why (changes nothing)
  review <number> [--approve] [--comment <text>]
                             approve the request's current diff and/or comment on it, as the
                             server user you connect as (requireApprovals sets how many
                             approvals by people other than the author a deploy needs)
  pause <number>             hold a running deploy's row copy after the chunk under way (from any
                             process; the shadow tables stay in sync; cancel still works)
  resume <number>            let a paused row copy go on
  tune <number> [--chunk-target-ms <ms>] [--max-threads-running <n>]
                             change a running copy's chunk target and load limit (from the next
                             chunk, from any process); on a request not yet copying, for its copy
  verify <number>            compare each copy with main row for row while a gated deploy waits in
                             pending_cutover (the checksum every cut-over runs first); names any
                             row that differs, exits 1 then
  apply <number>             cut over a gated deploy waiting in pending_cutover
  revert <number>            swap the old schema back (during the revert window)
  skip-revert <number>       close the revert window now (drops the old tables)
  cancel <number>            stop a request before its cut-over (main is left unchanged)
  close <number>             close an open request without deploying it

States: ${DEPLOY_STATES.join(', ')}.

Examples:
  schemabranch deploy-request create add-order-notes
  schemabranch deploy-request deploy 3 --wait
  schemabranch deploy-request pause 3
  schemabranch deploy-request revert 3
  schemabranch deploy-request list --state complete_pending_revert --json`;

export const deployRequestCommand: Command = {
  name: 'deploy-request',
  summary: 'Open, deploy online, revert and list deploy requests',
  usage,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const handler = sub === undefined ? undefined : handlers[sub];
    if (!handler) {
      throw new UsageError(sub === undefined ? `Missing subcommand: ${Object.keys(handlers).join(', ')}.` : `Unknown deploy-request subcommand ${JSON.stringify(sub)}: use ${Object.keys(handlers).join(', ')}.`);
    }
    const target = await ctx.server();
    const dr = deployRequestsFor(ctx.config(), target);
    const mainFiles = followDeploysInMainFiles(ctx.dir, ctx.config(), target, dr.events, (line) => ctx.warn(line));
    try {
      // Every engine start: close revert windows that expired while nothing ran; a copy whose
      // process died is recorded as error_retryable (`deploy` resumes it from its checkpoints).
      const report = await dr.reconcile({ resume: false });
      for (const id of report.finished) ctx.warn(`deploy request #${id}: its revert window had closed; the old tables were dropped.`);
      for (const id of report.failed) ctx.warn(`deploy request #${id}: its process had stopped; see \`schemabranch deploy-request show ${id}\`.`);
      return await handler(rest, ctx, dr);
    } finally {
      await mainFiles.dispose();
      await dr.dispose();
    }
  },
};

type Handler = (args: string[], ctx: CommandContext, dr: DeployRequests) => Promise<number>;

function requestNumber(args: string[], options: Parameters<typeof parseCommandArgs>[1] = {}) {
  const parsed = parseCommandArgs(args, options, { min: 1, max: 1 });
  const raw = parsed.positionals[0].replace(/^#/, '');
  if (!/^\d+$/.test(raw)) throw new UsageError(`${JSON.stringify(parsed.positionals[0])} is not a deploy request number (e.g. 3).`);
  return { id: Number(raw), values: parsed.values };
}

/** Prints a request after an action: one JSON document, or its summary, what happened last, and what to do next. */
async function done(ctx: CommandContext, dr: DeployRequests, r: DeployRequest, headline: string): Promise<number> {
  ctx.json(requestJson(r));
  ctx.print(headline);
  const last = (await dr.history(r.id)).at(-1);
  if (last) ctx.print(`  ${last.message}`);
  for (const line of describeRequest(r, { brief: true })) ctx.print(line);
  return EXIT_OK;
}

const handlers: Record<string, Handler> = {
  async create(args, ctx, dr) {
    const { positionals } = parseCommandArgs(args, {}, { min: 1, max: 1 });
    const r = await dr.create(positionals[0]);
    ctx.json(requestJson(r));
    ctx.print(`Opened deploy request #${r.id}: ${r.branch} -> main (${r.targetDatabase}), ${r.changes.length} change${r.changes.length === 1 ? '' : 's'}.`);
    for (const line of describeRequest(r, { brief: false })) ctx.print(line);
    if (r.lint.deployable) ctx.print(`Deploy it with \`schemabranch deploy-request deploy ${r.id}\`.`);
    return r.lint.deployable ? EXIT_OK : EXIT_FAILURE;
  },

  async list(args, ctx, dr) {
    const { values } = parseCommandArgs(args, { state: { type: 'string', multiple: true } }, { max: 0 });
    const states = (values.state ?? []).map((s) => {
      if (!isDeployState(s)) throw new UsageError(`Unknown state ${JSON.stringify(s)}: use one of ${DEPLOY_STATES.join(', ')}.`);
      return s;
    });
    const list = await dr.list(states.length ? { state: states as DeployState[] } : {});
    ctx.json(list.map(requestJson));
    if (list.length === 0) ctx.print(states.length ? `No deploy requests in state ${states.join(' or ')}.` : 'No deploy requests yet. Open one with `schemabranch deploy-request create <branch>`.');
    for (const r of list) ctx.print(requestLine(r));
    return EXIT_OK;
  },

  async show(args, ctx, dr) {
    const { id } = requestNumber(args);
    const r = await dr.show(id);
    const history = await dr.history(id);
    const reviews = await dr.reviews(id);
    ctx.json({ ...requestJson(r), changes: changesJson(r.changes), history, reviews });
    for (const line of describeRequest(r, { brief: false })) ctx.print(line);
    ctx.print('');
    ctx.print('History:');
    for (const line of historyLines(history)) ctx.print(`  ${line}`);
    return EXIT_OK;
  },

  async diff(args, ctx, dr) {
    const { id } = requestNumber(args);
    const changes = await dr.diff(id);
    ctx.json(changesJson(changes));
    for (const line of diffLines(changes)) ctx.print(line);
    return EXIT_OK;
  },

  async deploy(args, ctx, dr) {
    const { id, values } = requestNumber(args, { wait: { type: 'boolean' }, gated: { type: 'boolean' }, instant: { type: 'boolean' } });
    if (values.instant === true && values.gated === true) throw new UsageError('--instant and --gated do not go together: an instant deploy has no copy to wait after.');
    const display = new ProgressDisplay({ interactive: ctx.interactive && !ctx.jsonOutput, write: (t) => process.stderr.write(t) });
    const gated = values.gated === true || ctx.config().gatedDeploys;
    // This process does the copy: stopping it stops the deploy where it is. Nothing is lost; say how to go on.
    const onInterrupt = () => {
      ctx.warn(`\nStopped. Deploy request #${id} keeps its progress: \`schemabranch deploy-request deploy ${id}\` resumes it, \`cancel ${id}\` removes its shadow tables.`);
      process.exit(130);
    };
    process.once('SIGINT', onInterrupt);
    let lastThrottle: string | undefined;
    let r;
    try {
      r = await dr.deploy(id, {
        gated: values.instant === true ? false : gated,
        instant: values.instant === true,
        wait: values.wait === true,
        onState: (req, message) => {
          if (req.state === 'queued') ctx.warn(`#${id} ${message}; waiting for the target (Ctrl-C leaves the queue).`);
          else if (req.state === 'in_progress') ctx.warn(`#${id} deploying to ${req.targetDatabase}: copying rows into shadow tables...`);
        },
        onProgress: (tables, phase, paused, throttled) => {
          if (throttled !== lastThrottle) {
            if (throttled) ctx.warn(`#${id} ${throttled}`);
            else if (lastThrottle) ctx.warn(`#${id} copying again`);
            lastThrottle = throttled;
          }
          if (phase === 'copying') display.update(tables, paused === true);
          else if (phase === 'cutting-over') {
            display.done();
            ctx.warn(`#${id} rows copied; cutting over (application writes wait for a moment)...`);
          }
        },
      });
    } finally {
      process.off('SIGINT', onInterrupt);
    }
    display.done();
    if (r.state === 'pending_cutover') return done(ctx, dr, r, `Deploy request #${id} copied its rows and waits for the cut-over: run \`schemabranch deploy-request apply ${id}\`.`);
    return done(ctx, dr, r, `Deployed #${id} to ${r.targetDatabase}.`);
  },

  async tune(args, ctx, dr) {
    const { id, values } = requestNumber(args, { 'chunk-target-ms': { type: 'string' }, 'max-threads-running': { type: 'string' } });
    const num = (flag: string): number | undefined => {
      const v = values[flag];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new UsageError(`--${flag} takes a whole number; got ${JSON.stringify(v)}.`);
      return Number(v);
    };
    const t = { chunkTargetMs: num('chunk-target-ms'), maxThreadsRunning: num('max-threads-running') };
    if (t.chunkTargetMs === undefined && t.maxThreadsRunning === undefined) throw new UsageError('tune needs --chunk-target-ms <ms>, --max-threads-running <n>, or both.');
    const r = await dr.tune(id, t);
    return done(ctx, dr, r, `Tuned #${id}: ${describeTuning(t)}${r.state === 'in_progress' ? ', from the next chunk' : ', for its copy'}.`);
  },

  async review(args, ctx, dr) {
    const { id, values } = requestNumber(args, { approve: { type: 'boolean' }, comment: { type: 'string' } });
    const comment = typeof values.comment === 'string' ? values.comment : undefined;
    if (values.approve !== true && !comment) throw new UsageError('review needs --approve, --comment "<text>", or both.');
    const r = await dr.review(id, { approve: values.approve === true, comment });
    const reviews = await dr.reviews(id);
    ctx.json({ ...requestJson(r), reviews });
    const approvals = reviews.filter((x) => x.kind === 'approve').length;
    ctx.print(`Reviewed #${id}${values.approve === true ? ': approved' : ''}${comment ? `${values.approve === true ? ',' : ':'} commented` : ''}. ${approvals} approval${approvals === 1 ? '' : 's'} recorded.`);
    return EXIT_OK;
  },

  async instant(args, ctx, dr) {
    const { id } = requestNumber(args);
    const v = await dr.instantVerdict(id);
    ctx.json(v);
    ctx.print(`#${id}: ${v.instant ? v.why : `not instant: ${v.why}`}.`);
    if (v.instant) ctx.print(`Deploy it instantly with \`schemabranch deploy-request deploy ${id} --instant\`${v.revertible ? '' : ' (it cannot be reverted; the default online deploy can)'}.`);
    return EXIT_OK;
  },

  async pause(args, ctx, dr) {
    const { id } = requestNumber(args);
    return done(ctx, dr, await dr.pause(id), `Paused #${id}: the row copy stops after the chunk under way. \`schemabranch deploy-request resume ${id}\` goes on.`);
  },

  async resume(args, ctx, dr) {
    const { id } = requestNumber(args);
    return done(ctx, dr, await dr.resume(id), `Resumed #${id}: the row copy goes on.`);
  },

  async verify(args, ctx, dr) {
    const { id } = requestNumber(args);
    const v = await dr.verify(id);
    ctx.json(v);
    for (const t of v.tables) {
      const head = `${t.table}: ${t.rows} rows in ${t.chunks} chunks, ${t.ms} ms`;
      if (!t.differences.length) ctx.print(`${head}: the copy matches main.`);
      else {
        ctx.print(`${head}: ${t.differences.length} rows differ:`);
        for (const d of t.differences.slice(0, 20)) ctx.print(`  ${JSON.stringify(d.key)} ${d.problem}`);
        if (t.differences.length > 20) ctx.print(`  ... and ${t.differences.length - 20} more (--json lists them all)`);
      }
    }
    ctx.print(v.ok ? `Deploy request #${id} is ready: \`schemabranch deploy-request apply ${id}\` cuts it over.` : `The cut-over of #${id} would be refused. Cancel it and deploy again (the copy starts over).`);
    return v.ok ? EXIT_OK : EXIT_FAILURE;
  },

  async apply(args, ctx, dr) {
    const { id } = requestNumber(args);
    return done(ctx, dr, await dr.apply(id), `Cut over #${id}.`);
  },

  async revert(args, ctx, dr) {
    const { id } = requestNumber(args);
    const r = await dr.revert(id, (w) => ctx.warn(`warning: ${w}`));
    return done(ctx, dr, r, `Reverted #${id}: the old schema of ${r.changes.map((c) => c.table).join(', ')} is back, with every row written since the deploy.`);
  },

  async 'skip-revert'(args, ctx, dr) {
    const { id } = requestNumber(args);
    return done(ctx, dr, await dr.skipRevert(id), `Closed the revert window of #${id}: the old tables were dropped; the deploy is complete.`);
  },

  async cancel(args, ctx, dr) {
    const { id } = requestNumber(args);
    return done(ctx, dr, await dr.cancel(id), `Cancelled #${id}; main is unchanged.`);
  },

  async close(args, ctx, dr) {
    const { id } = requestNumber(args);
    return done(ctx, dr, await dr.close(id), `Closed #${id} without deploying it.`);
  },
};
