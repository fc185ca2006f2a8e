/**
 * Collects the migration engine's per-table progress for one deploy: emits
 * every update to watchers at once, stores it in the request at most twice a
 * second (so `show` from another process sees it), and on the same beat
 * notices a cancel requested by another process.
 */
import type { DeployCore } from './core.js';
import type { ProgressPhase } from './events.js';
import type { TableProgress } from './migration-port.js';
import { progressPatch } from './store.js';

const STORE_EVERY_MS = 500;

export class CopyProgress {
  private readonly tables = new Map<string, TableProgress>();
  private lastStored = 0;
  private storing: Promise<void> | undefined;

  constructor(
    private readonly core: DeployCore,
    private readonly id: number,
    private readonly controller: AbortController,
    private readonly listener?: (tables: TableProgress[], phase: ProgressPhase) => void,
  ) {}

  get snapshot(): TableProgress[] {
    return [...this.tables.values()];
  }

  /** The callback handed to the migration engine. */
  readonly update = (p: TableProgress[]): void => {
    for (const t of p) this.tables.set(t.table, { ...t, etaSeconds: t.etaSeconds ?? null });
    this.publish('copying');
    const now = Date.now();
    if (!this.storing && now - this.lastStored >= STORE_EVERY_MS) {
      this.lastStored = now;
      this.storing = this.storeAndCheckCancel().finally(() => {
        this.storing = undefined;
      });
    }
  };

  publish(phase: ProgressPhase): void {
    const tables = this.snapshot;
    this.core.events.emit('progress', { id: this.id, phase, tables });
    this.listener?.(tables, phase);
  }

  /** Stores the last progress; waits for a store already under way so nothing lands after the final state. */
  async flush(): Promise<void> {
    await this.storing;
    await this.core.store.patch(this.id, progressPatch(this.snapshot));
  }

  private async storeAndCheckCancel(): Promise<void> {
    try {
      await this.core.store.patch(this.id, progressPatch(this.snapshot));
      const r = await this.core.store.find(this.id);
      if (r?.cancelRequested && !this.controller.signal.aborted) this.controller.abort(new Error(`deploy request #${this.id} was cancelled`));
    } catch {
      // Progress is advisory: a failed write must not stop the copy. The next beat tries again.
    }
  }
}
