/**
 * Deploy requests changed by another process (the CLI, another editor) reach
 * this editor too. The engine's events cover what this process does; for the
 * rest the server looks at the metadata on the database server now and then
 * and sends the same notifications, so the client itself never polls.
 */
import type { DeployRequest } from '../../engine/src/deploy/record.js';
import type { DeployRequests } from '../../engine/src/deploy/requests.js';
import type { DeployStateChangedParams, RevertWindowParams } from './protocol.js';

export interface DeployWatchSink {
  state(p: DeployStateChangedParams): void;
  window(p: RevertWindowParams): void;
  log(message: string): void;
}

interface Seen {
  state: DeployRequest['state'];
  /** The open revert window's deadline; null when no window is open. */
  deadline: string | null;
  updatedAt: string;
}

function seenOf(r: DeployRequest): Seen {
  return { state: r.state, deadline: r.state === 'complete_pending_revert' ? r.windowDeadline : null, updatedAt: r.updatedAt };
}

export class DeployWatch {
  private readonly seen = new Map<number, Seen>();
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private primed = false;

  constructor(
    private readonly requests: DeployRequests,
    private readonly sink: DeployWatchSink,
    private readonly intervalMs: number,
  ) {
    // What this process does is already notified through the engine's events: remember it, send nothing twice.
    requests.events.on('state', (c) => this.remember(c.id, seenOf(c.request)));
  }

  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      void this.check()
        .catch((err: unknown) => this.sink.log(`watching deploy requests: ${(err as Error).message}`))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private remember(id: number, s: Seen): void {
    this.seen.set(id, s);
  }

  /** One look at the metadata; the first only learns what exists. */
  async check(): Promise<void> {
    let list: DeployRequest[];
    try {
      list = await this.requests.list();
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.sink.log(`watching deploy requests: ${(err as Error).message}`);
      this.failing = true;
      return;
    }
    for (const r of list) {
      const before = this.seen.get(r.id);
      // A list read before one of our own changes landed is older than what the event told us.
      if (before && r.updatedAt < before.updatedAt) continue;
      const now = seenOf(r);
      this.remember(r.id, now);
      if (!this.primed) continue;
      if (!before || before.state !== r.state) {
        this.sink.state({ number: r.id, previous: before?.state, state: r.state, message: 'changed by another process', retrySafe: r.error?.retrySafe, at: r.updatedAt });
      }
      if ((before?.deadline ?? null) !== now.deadline) {
        this.sink.window({ number: r.id, deadline: now.deadline, tables: r.changes.map((c) => c.table) });
      }
    }
    this.primed = true;
  }
}
