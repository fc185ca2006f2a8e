import type { QuickPickItem } from 'vscode';
import type { CommandContext } from './commandTable.js';
import { deployConfirmation, deployMethodItems, revertConfirmation, skipRevertConfirmation } from './confirmText.js';
import { onlyCopyRefused } from './deployPage.js';
import { activeBranch, chooseBranch, chooseDeployRequest } from './pickers.js';
import {
  ApplyDeployRequest,
  CancelDeployRequest,
  PauseDeployRequest,
  ResumeDeployRequest,
  CloseDeployRequest,
  CreateDeployRequest,
  DeployDeployRequest,
  InstantVerdictRequest,
  ReviewDeployRequest,
  TuneDeployRequest,
  PushBranchRequest,
  RevertDeployRequest,
  ShowDeployRequest,
  SkipRevertDeployRequest,
} from './protocol.js';
import type { Node } from './trees.js';
import { DEPLOY_STATES, stateLabel } from './treeModel.js';

export async function openDeployRequest({ session, editor, refresh }: CommandContext, arg: unknown): Promise<void> {
  const fromFile = arg === undefined ? activeBranch(session) : undefined;
  const branch = fromFile && fromFile !== 'main' ? fromFile : (await chooseBranch(session, arg, 'Branch to deploy into main', false))?.name;
  if (!branch) return;
  // The request deploys the branch database's schema; the files are what the user edited, so bring the database up to them first.
  const pushed = await session.request(PushBranchRequest.type, { name: branch }, `Push ${branch}`);
  const dr = await session.request(CreateDeployRequest.type, { branch, into: 'main' }, 'Open Deploy Request');
  session.board.upsert(dr);
  refresh();
  const verdict = dr.deployable ? 'deployable' : `not deployable: ${dr.lint.filter((l) => l.severity === 'error').map((l) => l.message).join('; ')}`;
  const push = pushed.applied.length ? ` after applying ${pushed.applied.length} statement${pushed.applied.length === 1 ? '' : 's'} to the branch database` : '';
  void editor.info(`Opened deploy request ${session.requestName(dr.number)}${push} (${branch} into ${dr.into}, ${dr.changes.length} change${dr.changes.length === 1 ? '' : 's'}): ${verdict}.`);
}

/** The request's page: from a tree row, a number (the status bar), or a pick among every request. */
export async function openPage({ session, pages }: CommandContext, arg: unknown): Promise<void> {
  const dr = await chooseDeployRequest(session, arg, DEPLOY_STATES, 'Deploy request to show');
  if (dr) pages.open(session, dr.number);
}

export async function deploy(ctx: CommandContext, arg: unknown): Promise<void> {
  const { session, editor } = ctx;
  const picked = await chooseDeployRequest(session, arg, ['open', 'error_retryable'], 'Deploy request to deploy');
  if (!picked) return;
  const detail = await session.request(ShowDeployRequest.type, { number: picked.number }, `Deploy ${session.requestName(picked.number)}`);
  const errors = detail.lint.filter((l) => l.severity === 'error');
  // Findings about the online copy only leave the server's own path open, if it has one.
  const copyRefused = !detail.deployable && onlyCopyRefused(detail.lint);
  const verdict = detail.deployable || copyRefused ? await session.request(InstantVerdictRequest.type, { number: detail.number }, `Deploy ${session.requestName(detail.number)}`) : undefined;
  if (!detail.deployable && !(copyRefused && verdict?.instant)) {
    const reasons = errors.map((l) => `${l.code}: ${l.message}`);
    void editor.error(`${session.requestName(detail.number)} is not deployable: ${reasons.join('; ') || 'see its lint findings in the Deploy Requests view'}. Fix the branch and open a new deploy request.`);
    return;
  }
  const c = deployConfirmation(detail.number, detail.into, detail.changes);
  if (c && !(await editor.confirm(c))) return;
  // Asked of the server each time: whether a change is instant depends on the table as it is now.
  const methods = verdict ? deployMethodItems(detail.number, verdict, { copyRefused }) : [];
  const title = copyRefused
    ? `Deploy ${session.requestName(detail.number)}: the online copy is refused (see its findings), but the server can make this change itself`
    : `Deploy ${session.requestName(detail.number)}: the server can also make this change instantly`;
  const method = methods.length ? await editor.pick(methods, title) : undefined;
  if (methods.length && !method) return;
  const instant = method?.instant === true;
  const gated = instant ? false : session.settings().gatedDeploys;
  const started = await session.request(DeployDeployRequest.type, { number: detail.number, gated, instant }, `Deploy ${session.requestName(detail.number)}`);
  session.board.upsert(started);
  const end = await ctx.progress.track(detail.number);
  const now = session.board.get(detail.number);
  if (end === 'error_retryable' || end === 'error_needs_attention') void editor.error(`Deploy ${session.requestName(detail.number)} ${stateLabel(end)}: ${now?.error?.message ?? 'see Show Output'}.`);
  else if (end === 'pending_cutover') void editor.info(`${session.requestName(detail.number)} copied every row and waits for cut-over: run "Schema Branch: Apply" when ready.`);
  else if (end === 'complete_pending_revert') void editor.info(`Deployed ${session.requestName(detail.number)}. The revert window is open: the status bar counts it down.`);
}

export async function apply({ session, editor }: CommandContext, arg: unknown): Promise<void> {
  const dr = await chooseDeployRequest(session, arg, ['pending_cutover'], 'Deploy request to cut over');
  if (!dr) return;
  session.board.upsert(await session.request(ApplyDeployRequest.type, { number: dr.number }, `Apply ${session.requestName(dr.number)}`));
  void editor.info(`Cut-over of ${session.requestName(dr.number)} started.`);
}

export async function revert(ctx: CommandContext, arg: unknown): Promise<void> {
  const { session, editor } = ctx;
  const dr = await chooseDeployRequest(session, arg, ['complete_pending_revert'], 'Deploy request to revert');
  if (!dr) return;
  const tables = session.board.revertWindows().find((w) => w.number === dr.number)?.tables ?? [];
  if (!(await editor.confirm(revertConfirmation(dr.number, tables)))) return;
  session.board.upsert(await session.request(RevertDeployRequest.type, { number: dr.number }, `Revert ${session.requestName(dr.number)}`));
  const end = await ctx.progress.track(dr.number, 'revert');
  if (end === 'complete_revert' || session.board.get(dr.number)?.state === 'complete_revert') void editor.info(`Reverted ${session.requestName(dr.number)}: the previous schema is back and rows written since the deploy are kept.`);
}

export async function tune({ session, editor }: CommandContext, arg: unknown): Promise<void> {
  const dr = await chooseDeployRequest(session, arg, ['in_progress', 'open', 'queued', 'error_retryable'], 'Deploy request whose copy to tune');
  if (!dr) return;
  const whole = (v: string): string | undefined => (v === '' || /^\d+$/.test(v) ? undefined : 'A whole number, or empty to leave it as it is.');
  const chunk = await editor.ask({ prompt: `${session.requestName(dr.number)}: target time of one row-copy chunk, in ms (empty: unchanged)`, placeHolder: '500', validateInput: whole });
  if (chunk === undefined) return;
  const threads = await editor.ask({ prompt: `${session.requestName(dr.number)}: pause copying while the server's Threads_running is above (empty: unchanged)`, placeHolder: '50', validateInput: whole });
  if (threads === undefined || (chunk === '' && threads === '')) return;
  const r = await session.request(TuneDeployRequest.type, { number: dr.number, chunkTargetMs: chunk ? Number(chunk) : undefined, maxThreadsRunning: threads ? Number(threads) : undefined }, `Tune ${session.requestName(dr.number)}`);
  session.board.upsert(r);
  void editor.info(`Tuned ${session.requestName(dr.number)}${r.state === 'in_progress' ? ': the next chunk uses the new settings' : ': its copy will use them'}.`);
}

export async function review({ session, editor }: CommandContext, arg: unknown): Promise<void> {
  const dr = await chooseDeployRequest(session, arg, ['open', 'queued', 'pending_cutover', 'error_retryable'], 'Deploy request to review');
  if (!dr) return;
  const items = [
    { label: '$(check) Approve', detail: 'Approve the diff as it is now; a changed diff needs approving again.', approve: true, comment: false },
    { label: '$(comment) Comment', detail: 'Add a comment to its history.', approve: false, comment: true },
    { label: '$(check) Approve with a comment', detail: 'Both.', approve: true, comment: true },
  ];
  const choice = await editor.pick(items, `Review deploy request ${session.requestName(dr.number)}`);
  if (!choice) return;
  const comment = choice.comment ? await editor.ask({ prompt: `Comment on ${session.requestName(dr.number)}`, validateInput: (v) => (v.trim() ? undefined : 'Write something, or press Escape.') }) : undefined;
  if (choice.comment && comment === undefined) return;
  const r = await session.request(ReviewDeployRequest.type, { number: dr.number, approve: choice.approve, comment }, `Review ${session.requestName(dr.number)}`);
  session.board.upsert(r);
  void editor.info(`Reviewed ${session.requestName(dr.number)}${choice.approve ? ': approved' : ''}. ${r.approvals} approval${r.approvals === 1 ? '' : 's'} of its current diff.`);
}

export async function skipRevert({ session, editor }: CommandContext, arg: unknown): Promise<void> {
  const dr = await chooseDeployRequest(session, arg, ['complete_pending_revert'], 'Deploy request whose revert window to close');
  if (!dr) return;
  if (!(await editor.confirm(skipRevertConfirmation(dr.number)))) return;
  session.board.upsert(await session.request(SkipRevertDeployRequest.type, { number: dr.number }, `Skip revert of ${session.requestName(dr.number)}`));
}

/** The status bar click: Revert or Skip revert for the window shown. */
export async function revertOrSkip(ctx: CommandContext, arg: unknown): Promise<void> {
  const { session } = ctx;
  // ctx.session is already the folder the click named (commandTable.ts routes it); each choice runs there.
  const named = typeof arg === 'number' ? arg : (arg as Node | undefined)?.deployRequest;
  const number = named ?? ctx.session.board.revertWindows()[0]?.number;
  if (number === undefined) return;
  const items: (QuickPickItem & { run: typeof revert })[] = [
    { label: `$(discard) Revert ${session.requestName(number)}`, detail: 'Swap the previous schema back; rows written since the deploy are kept.', run: revert },
    { label: `$(check) Skip revert`, detail: 'Close the window now and drop the old tables.', run: skipRevert },
    { label: `$(preview) Show deploy request ${session.requestName(number)}`, detail: 'Its page: statements, lint, history, reviews and the countdown.', run: openPage },
  ];
  const choice = await ctx.editor.pick(items, `Deploy request ${session.requestName(number)}: revert window open`);
  if (choice) await choice.run(ctx, number);
}

export async function cancel({ session, editor }: CommandContext, arg: unknown): Promise<void> {
  const dr = await chooseDeployRequest(session, arg, ['queued', 'in_progress', 'pending_cutover', 'error_retryable'], 'Deploy request to cancel');
  if (!dr) return;
  session.board.upsert(await session.request(CancelDeployRequest.type, { number: dr.number }, `Cancel ${session.requestName(dr.number)}`));
  void editor.info(`Cancelled ${session.requestName(dr.number)}: main is unchanged.`);
}

/** Holds a running deploy's row copy (whichever process runs it); cancel still works while paused. */
export async function pause({ session, editor }: CommandContext, arg: unknown): Promise<void> {
  const dr = await chooseDeployRequest(session, arg, ['in_progress'], 'Deploy request to pause');
  if (!dr) return;
  session.board.upsert(await session.request(PauseDeployRequest.type, { number: dr.number }, `Pause ${session.requestName(dr.number)}`));
  void editor.info(`Paused ${session.requestName(dr.number)}: the row copy stops after the chunk under way.`);
}

export async function resume({ session, editor }: CommandContext, arg: unknown): Promise<void> {
  const dr = await chooseDeployRequest(session, arg, ['in_progress'], 'Deploy request to resume');
  if (!dr) return;
  session.board.upsert(await session.request(ResumeDeployRequest.type, { number: dr.number }, `Resume ${session.requestName(dr.number)}`));
  void editor.info(`Resumed ${session.requestName(dr.number)}: the row copy goes on.`);
}

export async function close({ session, editor }: CommandContext, arg: unknown): Promise<void> {
  const dr = await chooseDeployRequest(session, arg, ['open'], 'Deploy request to close');
  if (!dr) return;
  session.board.upsert(await session.request(CloseDeployRequest.type, { number: dr.number }, `Close ${session.requestName(dr.number)}`));
  void editor.info(`Closed ${session.requestName(dr.number)} without deploying.`);
}
