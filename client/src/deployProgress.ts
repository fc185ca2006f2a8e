import type { DeployBoard } from './deployBoard.js';
import type { Editor } from './editor.js';
import { ProgressTally, progressMessage } from './progressText.js';
import type { DeployRequestState } from './protocol.js';
import { stateLabel } from './treeModel.js';

const RUNNING: ReadonlySet<DeployRequestState> = new Set(['queued', 'in_progress', 'in_progress_revert']);

/**
 * One progress notification per running deploy or revert, fed by the server's
 * progress notifications and closed by its state changes. A deploy started
 * elsewhere (the CLI) gets one too when its progress arrives. Only a deploy
 * has a Cancel button: a revert cannot be cancelled (it is a rename, done in
 * one step), and a notification that ends says nothing more; the result
 * is told by the command that started it, so no finished notification keeps a
 * live button.
 */
export class DeployProgress {
  private readonly shown = new Set<number>();
  private readonly subscription: { dispose(): void };

  /** `title` names a request in the notification: `#3`, or with several folders `app #3`. */
  constructor(
    private readonly editor: Editor,
    private readonly board: DeployBoard,
    private readonly cancel: (number: number) => Promise<void>,
    private readonly title: (number: number) => string = (n) => `#${n}`,
  ) {
    this.subscription = board.onChange((c) => {
      if (c !== 'progress') return;
      for (const dr of board.list()) if (board.latestProgress(dr.number) && !this.shown.has(dr.number)) void this.track(dr.number, dr.state === 'in_progress_revert' ? 'revert' : 'deploy');
    });
  }

  /** Shows progress until the request leaves the running states; resolves with the state it ended in. */
  track(number: number, kind: 'deploy' | 'revert' = 'deploy'): Promise<DeployRequestState | undefined> {
    if (this.shown.has(number)) return Promise.resolve(undefined);
    this.shown.add(number);
    const result = this.editor.withProgress(`${kind === 'revert' ? 'Reverting' : 'Deploying'} ${this.title(number)}`, kind === 'deploy', (progress, token) => {
      const tally = new ProgressTally();
      return new Promise<DeployRequestState | undefined>((resolve) => {
        token.onCancellationRequested(() => {
          if (RUNNING.has(this.board.get(number)?.state ?? 'complete')) void this.cancel(number);
        });
        const update = (): void => {
          const dr = this.board.get(number);
          if (dr && !RUNNING.has(dr.state)) {
            sub.dispose();
            resolve(dr.state);
            return;
          }
          const p = this.board.latestProgress(number);
          if (p) progress.report({ message: progressMessage(p), increment: tally.update(p) });
          else if (dr) progress.report({ message: stateLabel(dr.state) });
        };
        const sub = this.board.onChange(update);
        update();
      });
    });
    return Promise.resolve(result).finally(() => this.shown.delete(number));
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
