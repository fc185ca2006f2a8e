/**
 * DeployRequests: the engine's API for deploy requests on one target server,
 * used by the CLI and the language server. State lives in `_schemabranch` on
 * the server; this object holds a small connection pool (call `close()`).
 */
import { tune } from './tune.js';
import type { CopyTuning } from '../migration/index.js';
import { review, type Review } from './reviews.js';
import { instantVerdictOf } from './instant.js';
import type { InstantVerdict } from '../migration/instant.js';
import type { RowDataPacket } from 'mysql2/promise';
import { cancel } from './cancel.js';
import { diffSchemas } from '../diff/index.js';
import { DEFAULT_REVERT_WINDOW_SECONDS, NoChangesError, type DeployCore, type DeployRequestsOptions } from './core.js';
import { onlineMigrations } from './migrations.js';
import { DeployEvents } from './events.js';
import { verdictOf, verify } from './main-checks.js';
import { pause, resume } from './pause.js';
import { schemaFingerprints } from './fingerprint.js';
import { closeExpiredWindows, reconcile, type ReconcileOptions, type ReconcileReport } from './reconcile.js';
import { readSchema } from './recheck.js';
import { storedChange, type DeployEvent, type DeployRequest, type StoredChange } from './record.js';
import { revert, skipRevert } from './revert-window.js';
import { apply, deploy, type DeployOptions } from './run.js';
import { transition, type DeployAction, type DeployState } from './state.js';
import { DeployStore, openStorePool } from './store.js';
import type { PatchValue } from './store-sql.js';
import type { Verification } from '../migration/checksum.js';
import { RevertWindowWatch } from './window-watch.js';

export class DeployRequests {
  readonly events = new DeployEvents();
  private readonly core: DeployCore;
  private ready: Promise<void> | undefined;
  private user: string | undefined;
  private readonly watch: RevertWindowWatch;

  constructor(readonly opts: DeployRequestsOptions) {
    const pool = openStorePool(opts.target);
    const store = new DeployStore(pool, opts.mainDatabase);
    const events = this.events;
    this.core = {
      opts,
      target: opts.target,
      pool,
      store,
      events,
      migrations: opts.migrations ?? onlineMigrations,
      running: new Map(),
      copies: new Map(),
      actor: () => this.actor(),
      move: async (id, action, patch, message, check) => this.move(id, action, patch, message, check),
    };
    this.watch = new RevertWindowWatch(this.core, async () => {
      await this.ensure();
      await closeExpiredWindows(this.core);
    });
  }

  /** Creates or upgrades the metadata tables once per instance; every method calls it. */
  private ensure(): Promise<void> {
    this.ready ??= this.core.store.ensure().catch((err: unknown) => {
      this.ready = undefined;
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(
        `Deploy requests live in the \`_schemabranch\` database on the server, and it could not be created or upgraded: ${why}. ` +
          `Give the connection's user its rights (GRANT ALL ON \`_schemabranch\`.* TO <user>), then retry (safe).`,
      );
    });
    return this.ready;
  }

  private async actor(): Promise<string> {
    this.user ??= await this.core.store.currentUser();
    return this.user;
  }

  private async move(id: number, action: DeployAction, patch: Record<string, PatchValue>, message: string, check?: (r: DeployRequest) => void): Promise<DeployRequest> {
    const { before, after } = await this.core.store.move(id, action, patch, message, await this.actor(), check);
    this.events.emit('state', { id, previous: before.state, state: after.state, message, retrySafe: after.error?.retrySafe, at: after.updatedAt, request: after });
    const tables = after.changes.map((c) => c.table);
    if (after.state === 'complete_pending_revert' && after.windowDeadline) {
      this.events.emit('window', { id, deadline: after.windowDeadline, tables });
      this.watch.reschedule();
    } else if (before.state === 'complete_pending_revert' || before.state === 'in_progress_revert') {
      this.events.emit('window', { id, deadline: null, tables });
    }
    return after;
  }

  /**
   * Opens a deploy request for `branch`: the diff of the branch database's
   * live schema against main's, and the lint verdict. Refuses when there is
   * nothing to deploy or the branch already has an open request.
   */
  async create(branch: string): Promise<DeployRequest> {
    await this.ensure();
    const main = this.opts.mainDatabase;
    const branchDb = this.opts.branchDatabase(branch);
    await this.requireDatabase(main, 'main');
    await this.requireDatabase(branchDb, `branch ${branch}`);
    const already = (await this.core.store.list({ targetDatabase: main, states: ['open', 'queued', 'in_progress', 'pending_cutover'] })).filter((r) => r.branch === branch);
    if (already.length > 0) {
      throw new Error(`Branch ${branch} already has deploy request #${already[0].id} (${already[0].state}). Deploy or close it before opening another.`);
    }
    const mainSchema = await readSchema(this.core, this.core.pool, main);
    const branchSchema = await readSchema(this.core, this.core.pool, branchDb);
    // One alter per table: the online migration moves a table's foreign keys itself (shadowSpec + foreignKeys).
    const changes = diffSchemas(mainSchema, branchSchema, { onePerTable: true });
    if (changes.length === 0) throw new NoChangesError(branch, main);
    const lint = await verdictOf(this.core, main, branchSchema, changes);
    const created = await this.core.store.insert(
      {
        branch,
        branchDatabase: branchDb,
        targetDatabase: main,
        changes: changes.map(storedChange),
        lint,
        mainFingerprints: schemaFingerprints(mainSchema),
        revertWindowSeconds: this.opts.revertWindowSeconds ?? DEFAULT_REVERT_WINDOW_SECONDS,
      },
      await this.actor(),
    );
    this.events.emit('state', { id: created.id, previous: null, state: 'open', message: `opened from branch ${branch}`, at: created.createdAt, request: created });
    return created;
  }

  private async requireDatabase(database: string, what: string): Promise<void> {
    const [rows] = await this.core.pool.query<RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]);
    if (rows.length === 0) throw new Error(`The database ${database} of ${what} does not exist on the server. Create the branch first (\`schemabranch branch create\`), or load main.`);
  }

  /** Requests of this workspace's main database, oldest first; `state` narrows. */
  async list(filter: { state?: DeployState | DeployState[] } = {}): Promise<DeployRequest[]> {
    await this.ensure();
    const states = filter.state === undefined ? undefined : Array.isArray(filter.state) ? filter.state : [filter.state];
    return this.core.store.list({ targetDatabase: this.opts.mainDatabase, states });
  }

  async show(id: number): Promise<DeployRequest> {
    await this.ensure();
    return this.core.store.get(id);
  }

  /** The request's history: every state change and note, oldest first. */
  async history(id: number): Promise<DeployEvent[]> {
    await this.ensure();
    await this.core.store.get(id);
    return this.core.store.events(id);
  }

  async diff(id: number): Promise<StoredChange[]> {
    return (await this.show(id)).changes;
  }

  /** Deploys online; resolves when it is done (complete_pending_revert, or pending_cutover when gated). */
  async deploy(id: number, opts: DeployOptions = {}): Promise<DeployRequest> {
    await this.ensure();
    return deploy(this.core, id, opts);
  }

  /**
   * Starts a deploy and resolves as soon as it is accepted (queued or in
   * progress), for hosts that answer a request at once and report the rest
   * through events. `done` settles when the deploy ends.
   */
  async begin(id: number, opts: DeployOptions = {}): Promise<{ accepted: DeployRequest; done: Promise<DeployRequest> }> {
    await this.ensure();
    return new Promise((resolve, reject) => {
      let settled = false;
      const onState = (c: { id: number; state: DeployState; request: DeployRequest }) => {
        if (c.id === id && !settled && (c.state === 'queued' || c.state === 'in_progress')) {
          settled = true;
          this.events.off('state', onState);
          resolve({ accepted: c.request, done });
        }
      };
      this.events.on('state', onState);
      const done = deploy(this.core, id, opts);
      done.then(
        (r) => {
          if (settled) return;
          settled = true;
          this.events.off('state', onState);
          resolve({ accepted: r, done });
        },
        (err: unknown) => {
          if (settled) return;
          settled = true;
          this.events.off('state', onState);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  async apply(id: number, opts: DeployOptions = {}): Promise<DeployRequest> {
    await this.ensure();
    return apply(this.core, id, opts);
  }

  async revert(id: number, onWarning?: (w: string) => void): Promise<DeployRequest> {
    await this.ensure();
    return revert(this.core, id, onWarning);
  }

  async skipRevert(id: number): Promise<DeployRequest> {
    await this.ensure();
    return skipRevert(this.core, id);
  }

  async cancel(id: number): Promise<DeployRequest> {
    await this.ensure();
    return cancel(this.core, id);
  }

  /**
   * Holds a running copy between chunks (in_progress only; otherwise a
   * PauseRefusedError naming the state). A copy in another process stops at
   * its next progress beat. Cancel still works while paused.
   */
  async pause(id: number): Promise<DeployRequest> {
    await this.ensure();
    return pause(this.core, id);
  }

  /** Lets a paused copy go on (in_progress only); a no-op when it is not paused. */
  async resume(id: number): Promise<DeployRequest> {
    await this.ensure();
    return resume(this.core, id);
  }

  /** Compares each copy with main while the request waits for its cut-over (the checksum the cut-over runs first). */
  /** Changes the chunk target and Threads_running limit of the request's copy, now or for when it runs (tune.ts). */
  async tune(id: number, t: CopyTuning): Promise<DeployRequest> {
    await this.ensure();
    return tune(this.core, id, t);
  }

  /** Approves and/or comments on a request as the connection's user (reviews.ts). */
  async review(id: number, what: { approve?: boolean; comment?: string }): Promise<DeployRequest> {
    await this.ensure();
    return review(this.core, id, what);
  }

  async reviews(id: number): Promise<Review[]> {
    await this.ensure();
    return this.core.store.reviews(id);
  }

  /** Whether the request can be deployed instantly (and reverted instantly), asked of the server; changes nothing. */
  async instantVerdict(id: number): Promise<InstantVerdict> {
    return instantVerdictOf(this.core, await this.core.store.get(id));
  }

  async verify(id: number): Promise<Verification> {
    await this.ensure();
    return verify(this.core, id);
  }

  async close(id: number): Promise<DeployRequest> {
    await this.ensure();
    const r = await this.core.store.get(id);
    transition(id, r.state, 'close');
    return this.move(id, 'close', { finished_at: { now: true } }, 'closed without deploying');
  }

  /** Run at every engine start: see reconcile.ts. */
  async reconcile(opts: ReconcileOptions = {}): Promise<ReconcileReport> {
    await this.ensure();
    return reconcile(this.core, opts);
  }

  /**
   * Closes each revert window when its deadline passes, while this process
   * lives (the language server calls it once); reconcile() covers the time
   * nothing ran. Returns a function that stops watching.
   */
  watchRevertWindows(): () => void {
    this.watch.start();
    return () => this.watch.stop();
  }

  /** Ends the pool and timers. Running operations should be awaited first. */
  async dispose(): Promise<void> {
    this.watch.stop();
    await this.core.pool.end();
  }
}
