/**
 * Reviews of a deploy request (issue 12): comments and approvals, stored with
 * it on the server. With `requireApprovals: N` in schemabranch.json a request
 * deploys only once N people other than its author approved the diff it
 * deploys now: an approval names the diff it saw (a fingerprint of its
 * statements), so a request whose changes moved on needs approving again.
 */
import { createHash } from 'node:crypto';
import type { DeployCore } from './core.js';
import type { DeployRequest, StoredChange } from './record.js';

export type ReviewKind = 'approve' | 'comment';

export interface Review {
  at: string;
  /** CURRENT_USER() of the reviewer's connection. */
  actor: string;
  kind: ReviewKind;
  body: string | null;
  /** The fingerprint of the diff reviewed (diffFingerprint). */
  diff: string;
}

/** What an approval approves: the statements, in order. */
export function diffFingerprint(changes: readonly StoredChange[]): string {
  return createHash('sha256')
    .update(JSON.stringify(changes.map((c) => c.statement)))
    .digest('hex')
    .slice(0, 32);
}

/** The people other than the author who approved the request's current diff, each once. */
export function approversOf(req: DeployRequest, reviews: readonly Review[]): string[] {
  const diff = diffFingerprint(req.changes);
  return [...new Set(reviews.filter((r) => r.kind === 'approve' && r.diff === diff && r.actor !== req.openedBy).map((r) => r.actor))];
}

export class NotApprovedError extends Error {
  constructor(
    readonly id: number,
    readonly required: number,
    readonly approvers: string[],
  ) {
    super(
      `deploy request #${id} needs ${required} approval${required === 1 ? '' : 's'} of its current diff from people other than its author; it has ${approvers.length}${approvers.length ? ` (${approvers.join(', ')})` : ''}. ` +
        `Nothing was changed. A reviewer approves with \`schemabranch deploy-request review ${id} --approve\` (requireApprovals in schemabranch.json sets how many).`,
    );
    this.name = 'NotApprovedError';
  }
}

/** Refuses a deploy that lacks the approvals the workspace requires. */
export async function requireApproved(core: DeployCore, req: DeployRequest): Promise<void> {
  const required = core.opts.requireApprovals ?? 0;
  if (required <= 0) return;
  const approvers = approversOf(req, await core.store.reviews(req.id));
  if (approvers.length < required) throw new NotApprovedError(req.id, required, approvers);
}

/** Records an approval or a comment (or both) by the caller; an author cannot approve their own request. */
export async function review(core: DeployCore, id: number, what: { approve?: boolean; comment?: string }): Promise<DeployRequest> {
  const req = await core.store.get(id);
  const actor = await core.actor();
  const comment = what.comment?.trim() ? what.comment.trim() : null;
  if (!what.approve && comment === null) throw new Error('A review approves (--approve), comments (--comment "..."), or both.');
  if (what.approve && actor === req.openedBy) throw new Error(`deploy request #${id} was opened by ${actor}: its author cannot approve it. Ask someone else to review it.`);
  const diff = diffFingerprint(req.changes);
  if (comment !== null) await core.store.addReview(id, req.state, { kind: 'comment', body: comment, diff }, `comment by ${actor}: ${comment}`, actor);
  if (what.approve) await core.store.addReview(id, req.state, { kind: 'approve', body: null, diff }, `approved by ${actor}`, actor);
  return core.store.get(id);
}
