import type { DeployBoard } from './deployBoard.js';
import type { Editor } from './editor.js';
import { ProgressTally, progressMessage } from './progressText.js';
import type { DeployRequestState } from './protocol.js';
import { stateLabel } from './treeModel.js';

const RUNNING: ReadonlySet<DeployRequestState> = new Set(['queued', 'in_progress', 'in_progress_revert']);

/**
 * One cancellable progress notification per running deploy, fed by the
 * server's progress notifications and closed by its state changes. A deploy
 * started elsewhere (the CLI) gets one too when its progress arrives.
 */
export class DeployProgress {
  private readonly shown = new Set<number>();

  constructor(
    private readonly editor: Editor,
    private readonly board: DeployBoard,
    private readonly cancel: (number: number) => Promise<void>,
  ) {
    board.onChange((c) => {
      if (c !== 'progress') return;
      for (const dr of board.list()) if (board.latestProgress(dr.number) && !this.shown.has(dr.number)) void this.track(dr.number, dr.state === 'in_progress_revert' ? 'Reverting' : 'Deploying');
    });
  }

  /** Shows progress until the request leaves the running states; resolves with the state it ended in. */
  track(number: number, verb = 'Deploying'): Promise<DeployRequestState | undefined> {
    if (this.shown.has(number)) return Promise.resolve(undefined);
    this.shown.add(number);
    const result = this.editor.withProgress(`${verb} #${number}`, true, (progress, token) => {
      const tally = new ProgressTally();
      return new Promise<DeployRequestState | undefined>((resolve) => {
        token.onCancellationRequested(() => void this.cancel(number));
        const update = (): void => {
          const dr = this.board.get(number);
          const p = this.board.latestProgress(number);
          if (p) progress.report({ message: progressMessage(p), increment: tally.update(p) });
          else if (dr) progress.report({ message: stateLabel(dr.state) });
          if (dr && !RUNNING.has(dr.state)) {
            sub.dispose();
            resolve(dr.state);
          }
        };
        const sub = this.board.onChange(update);
        update();
      });
    });
    return Promise.resolve(result).finally(() => this.shown.delete(number));
  }
}
