/**
 * Collects the migration engine's per-table progress for one deploy: emits
 * every update to watchers at once, stores it in the request at most twice a
 * second (so `show` from another process sees it), and on the same beat
 * notices a cancel, pause or resume asked for by another process. A paused
 * copy copies no chunk and so calls back no more: an idle beat of its own
 * then keeps reading the store (and tells watchers it is still paused).
 */
import type { CopyTuning } from '../migration/index.js';
import type { DeployCore, PausableCopy } from './core.js';
import type { ProgressPhase } from './events.js';
import type { OnlineMigration, TableProgress } from '../migration/index.js';
import { progressPatch } from './store.js';

const STORE_EVERY_MS = 500;

export type ProgressListener = (tables: TableProgress[], phase: ProgressPhase, paused?: boolean, throttled?: string) => void;

export class CopyProgress implements PausableCopy {
  private readonly tables = new Map<string, TableProgress>();
  private lastStored = 0;
  private storing: Promise<void> | undefined;
  private paused = false;
  /** Why the copy waits by itself (the engine's onWait), until the next chunk lands. */
  private throttled: string | undefined;
  /** The store's `paused` as last read: a beat applies only a change, so a stale read never undoes a pause made here meanwhile. */
  private storedPaused = false;
  /** The store's tuning as last applied (JSON), so each change reaches the engine once. */
  private storedTuning = '{}';
  private idle: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly core: DeployCore,
    private readonly id: number,
    private readonly controller: AbortController,
    private readonly migration: Pick<OnlineMigration, 'pause' | 'resume' | 'tune'>,
    private readonly listener?: ProgressListener,
  ) {}

  get snapshot(): TableProgress[] {
    return [...this.tables.values()];
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get canPause(): boolean {
    return typeof this.migration.pause === 'function' && typeof this.migration.resume === 'function';
  }

  /** The callback handed to the migration engine. */
  readonly update = (p: TableProgress[]): void => {
    this.throttled = undefined;
    for (const t of p) this.tables.set(t.table, { ...t, etaSeconds: t.etaSeconds ?? null });
    this.publish('copying');
    const now = Date.now();
    if (!this.storing && now - this.lastStored >= STORE_EVERY_MS) this.beat();
  };

  /** The engine's onWait: a copy that waits by itself says why until its next chunk. */
  readonly onWait = (reason: string, detail?: string): void => {
    if (reason === 'paused') return;
    this.throttled = reason === 'replica-lag' ? `waiting for replicas: ${detail ?? 'one lags'}` : `waiting: ${detail ?? 'the server is busy'} (migration.maxThreadsRunning)`;
    this.publish('copying');
    // No chunk lands while it waits: keep beating, so a cancel or a tune from another process still arrives.
    this.scheduleIdleBeat();
  };

  /** New settings for the running copy; the caller has already written the store. */
  tune(t: CopyTuning): void {
    this.storedTuning = JSON.stringify(t);
    this.migration.tune(t);
  }

  /** Holds or releases the copy between chunks; the caller has already written the store. */
  setPaused(paused: boolean): void {
    if (paused === this.paused || this.stopped) return;
    this.paused = paused;
    this.storedPaused = paused;
    if (paused) {
      this.migration.pause();
      this.scheduleIdleBeat();
    } else {
      this.migration.resume();
      if (this.idle) clearTimeout(this.idle);
      this.idle = undefined;
    }
    this.publish('copying');
  }

  publish(phase: ProgressPhase): void {
    const tables = this.snapshot;
    const throttled = phase === 'copying' && !this.paused ? this.throttled : undefined;
    this.core.events.emit('progress', { id: this.id, phase, tables, ...(this.paused && phase === 'copying' ? { paused: true as const } : {}), ...(throttled ? { throttled } : {}) });
    this.listener?.(tables, phase, this.paused && phase === 'copying', throttled);
  }

  /** Stops the idle beat (the copy ended); a later pause or resume is ignored. */
  stop(): void {
    this.stopped = true;
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
  }

  /** Stores the last progress; waits for a store already under way so nothing lands after the final state. */
  async flush(): Promise<void> {
    this.stop();
    await this.storing;
    await this.core.store.patch(this.id, { ...progressPatch(this.snapshot), paused: false });
  }

  private beat(): void {
    this.lastStored = Date.now();
    this.storing = this.storeAndCheck().finally(() => {
      this.storing = undefined;
    });
  }

  private scheduleIdleBeat(): void {
    if (this.idle || this.stopped) return;
    this.idle = setTimeout(() => {
      this.idle = undefined;
      if (!(this.paused || this.throttled) || this.stopped) return;
      this.publish('copying');
      if (!this.storing) this.beat();
      const again = (): void => {
        if (this.paused || this.throttled) this.scheduleIdleBeat();
      };
      (this.storing ?? Promise.resolve()).then(again, again);
    }, STORE_EVERY_MS);
  }

  private async storeAndCheck(): Promise<void> {
    try {
      await this.core.store.patch(this.id, progressPatch(this.snapshot));
      const r = await this.core.store.find(this.id);
      if (!r) return;
      if (r.cancelRequested && !this.controller.signal.aborted) this.controller.abort(new Error(`deploy request #${this.id} was cancelled`));
      const tuning = JSON.stringify(r.tuning ?? {});
      if (tuning !== this.storedTuning) {
        this.storedTuning = tuning;
        if (r.tuning) this.migration.tune(r.tuning);
      }
      if (r.paused !== this.storedPaused) {
        this.storedPaused = r.paused;
        this.setPaused(r.paused);
      }
    } catch {
      // Progress is advisory: a failed write must not stop the copy. The next beat tries again.
    }
  }
}
