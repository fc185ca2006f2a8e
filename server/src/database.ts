/**
 * Everything the server does with the database server: which one (resolved
 * from schemabranch.json, with only the password saved for that very server:
 * engine/src/db/credentials.ts), live table
 * figures for hover, and the engine's DeployRequests with its events forwarded
 * to the editor as notifications. A request that cannot reach the database
 * fails with an UnavailableReason saying why and what to do. In a workspace the
 * user has not trusted, nothing here starts a program, connects or uses a
 * password: every entry point refuses with the reason 'untrusted'.
 */
import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import type { RowDataPacket } from 'mysql2/promise';
import type { Branches } from '../../engine/src/branch/index.js';
import type { WorkspaceConfig } from '../../engine/src/config/index.js';
import { describeTarget, serverKey, type ServerTarget } from '../../engine/src/db/target.js';
import type { DeployRequests } from '../../engine/src/deploy/requests.js';
import type { Queryable } from '../../engine/src/db/introspect.js';
import { chooseServerUrl } from '../../engine/src/db/credentials.js';
import { branchModule, connectionModule, deployModule, introspectModule } from './engine-db.js';
import type { StatsLookup, TableStats } from './features/hover.js';
import { DeployProgressNotification, DeployStateChangedNotification, RevertWindowNotification, sshKeySecretKey, type ConnectionTargetInfo, type UnavailableReason } from './protocol.js';
import { DeployWatch } from './deploy-watch.js';
import type { Session } from './session.js';
import type { ServerStatus } from './status.js';

const STATS_TTL_MS = 30_000;

export function unavailable(reason: UnavailableReason['reason'], message: string, retrySafe = true): ResponseError<UnavailableReason> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message, { reason, message, retrySafe });
}

/** Why a connection failed, from the engine's explained message (engine/src/db/connection.ts). */
function classify(err: unknown): ResponseError<UnavailableReason> {
  const message = (err as Error).message ?? String(err);
  // A refused login, or SCHEMABRANCH_PASSWORD withheld from the workspace's URL: the fix is a password saved for this server.
  if (/refused the login|only sent to a server you name yourself/.test(message)) return unavailable('no-password', message, false);
  // An SSH key file protected by a passphrase nobody gave (or a wrong one): the fix is the passphrase.
  if (/is protected by a passphrase|does not open it/.test(message)) return unavailable('no-passphrase', message, false);
  return unavailable('server-unreachable', `The database server is not available: ${message}`);
}

/** Engine errors become RequestFailed with the engine's message (which says what to do next). */
export function asResponseError(err: unknown): ResponseError<unknown> {
  if (err instanceof ResponseError) return err as ResponseError<unknown>;
  const e = err as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT' || e.code === 'PROTOCOL_CONNECTION_LOST') return classify(err);
  return new ResponseError(LSPErrorCodes.RequestFailed, e.message ?? String(err));
}

/** The refusal in Restricted Mode; the client offers to trust the workspace. */
export function untrusted(): ResponseError<UnavailableReason> {
  return unavailable(
    'untrusted',
    'This workspace is not trusted (Restricted Mode): Schema Branch lints and navigates its files, but starts no server, connects to no database and sends no password. Trust the workspace to use the database.',
    false,
  );
}

export interface DatabaseOptions {
  /** false in Restricted Mode: no database work at all. */
  trusted: boolean;
  /** Passwords saved per server key (from SAVED_PASSWORDS_ENV); each goes only to its own server. */
  savedPasswords: ReadonlyMap<string, string>;
  /** For SCHEMABRANCH_URL and SCHEMABRANCH_PASSWORD (the latter goes only to the former). */
  env: NodeJS.ProcessEnv;
  /** mariadbd/mysqld from the user's own settings (never the workspace's); SCHEMABRANCH_MARIADBD or the PATH when absent. */
  sandboxBinary?: string;
  /** An SSH tunnel from the user's own settings (never the workspace's); SCHEMABRANCH_SSH in `env` when absent. */
  ssh?: string;
  sshKey?: string;
  reconcile: boolean;
  deployPollMs: number;
}

export class DatabaseAccess {
  private targetPromise: Promise<ServerTarget> | undefined;
  private resolvedTarget: ServerTarget | undefined;
  private deploys: DeployRequests | undefined;
  private stopWindowWatch: (() => void) | undefined;
  private readonly stats = new Map<string, { at: number; value: TableStats | undefined }>();
  private readonly pendingStats = new Map<string, Promise<void>>();

  constructor(
    private readonly session: Session,
    private readonly connection: Connection,
    private readonly status: ServerStatus,
    private readonly opts: DatabaseOptions,
  ) {
    session.configListeners.push((previous) => {
      const now = session.config;
      // Another server or another main database: connect afresh on the next request.
      if (JSON.stringify(previous?.connection) !== JSON.stringify(now?.connection) || previous?.database !== now?.database) this.forgetTarget();
    });
  }

  get trusted(): boolean {
    return this.opts.trusted;
  }

  /** Which server (by its secret key) this workspace would use; pure, no connection. */
  describeConnection(): ConnectionTargetInfo {
    try {
      const { target, source } = chooseServerUrl(this.config(), { env: this.opts.env });
      return target && source ? { source, key: serverKey(target) } : { source: 'sandbox' };
    } catch (err) {
      return { source: 'workspace', problem: (err as Error).message };
    }
  }

  /** The configuration, or why there is none usable. */
  config(): WorkspaceConfig {
    const c = this.session.config;
    if (!c) throw unavailable('no-config', `schemabranch.json cannot be used: ${this.session.configError ?? 'unknown problem'}`, false);
    return c;
  }

  /**
   * The server to talk to (the embedded sandbox is started when no URL is
   * configured), checked with one connection so a wrong password or a server
   * that is down is reported now, in the engine's words, with a reason.
   */
  target(): Promise<ServerTarget> {
    if (!this.opts.trusted) return Promise.reject(untrusted());
    const config = this.config();
    this.targetPromise ??= (async () => {
      const db = connectionModule();
      const saved = this.opts.savedPasswords;
      const target = await db.resolveServer(this.session.root, config, {
        savedPassword: (key) => saved.get(key),
        savedPassphrase: (file) => saved.get(sshKeySecretKey(file)),
        ssh: this.opts.ssh,
        sshKey: this.opts.sshKey,
        ...this.sandboxChoice(),
      });
      await db.withConnection(target, undefined, async (conn) => {
        // Diffs from files compare as this server would store the tables; main's database may not exist yet.
        const defaults = await introspectModule()
          .readServerDefaults(conn as unknown as Queryable, config.database)
          .catch(() => undefined);
        if (defaults) {
          this.session.normalizer.setDefaults(defaults);
          // Tables now compare as this server stores them: diagnostics and lenses are worked out again.
          this.session.invalidateAll();
        }
      });
      this.resolvedTarget = target;
      this.status.databaseReached(describeTarget(target));
      return target;
    })().catch((err: unknown) => {
      this.targetPromise = undefined;
      const reason = err instanceof ResponseError ? (err as ResponseError<UnavailableReason>) : classify(err);
      this.status.databaseFailed(reason.message);
      throw reason;
    });
    return this.targetPromise;
  }

  branches(): Promise<Branches> {
    return this.target().then((t) => new (branchModule().Branches)(this.session.root, this.config(), t));
  }

  async deployRequests(): Promise<DeployRequests> {
    if (this.deploys) return this.deploys;
    const config = this.config();
    const target = await this.target();
    if (this.deploys) return this.deploys;
    // The CLI's options, from the same function; only the lint settings are the editor's own (they follow its settings as you type).
    const dr = new (deployModule().DeployRequests)({ ...deployModule().deployRequestsOptions(config, target), lint: this.session.lintConfig });
    // main's files follow main's database after the deploys this server runs (the CLI does the same for its own).
    const mainFiles = branchModule().followDeploysInMainFiles(this.session.root, config, target, dr.events, (m, update) => {
      this.connection.console.log(m);
      // The server wrote those files itself: its models must not wait for the editor's file watcher.
      return update.action === 'none' ? undefined : this.session.rescan();
    });
    dr.events.on('state', (c) => {
      // Announced once main's files are updated, so an editor that reacts to the state sees them.
      void mainFiles.settled().then(() =>
        this.connection.sendNotification(DeployStateChangedNotification.type, { number: c.id, previous: c.previous ?? undefined, state: c.state, message: c.message, retrySafe: c.retrySafe, at: c.at }),
      );
    });
    dr.events.on('progress', (p) => {
      for (const t of p.tables) {
        void this.connection.sendNotification(DeployProgressNotification.type, {
          number: p.id,
          table: t.table,
          phase: p.phase,
          rowsCopied: t.rowsCopied,
          rowsTotal: t.rowsTotal,
          percent: t.percent,
          etaSeconds: t.etaSeconds ?? undefined,
          rowsPerSecond: t.rowsPerSecond || undefined,
          paused: p.paused,
          throttled: p.throttled,
        });
      }
    });
    dr.events.on('window', (w) => void this.connection.sendNotification(RevertWindowNotification.type, { number: w.id, deadline: w.deadline, tables: w.tables }));
    this.deploys = dr;
    const stopWindows = dr.watchRevertWindows();
    const watch = new DeployWatch(
      dr,
      {
        state: (p) => void this.connection.sendNotification(DeployStateChangedNotification.type, p),
        window: (p) => void this.connection.sendNotification(RevertWindowNotification.type, p),
        log: (m) => this.connection.console.log(m),
      },
      this.opts.deployPollMs,
    );
    watch.start();
    this.stopWindowWatch = () => {
      stopWindows();
      watch.stop();
      void mainFiles.dispose();
    };
    // Windows that closed, and deploys that died, while no engine ran.
    if (this.opts.reconcile) {
      dr.reconcile().then(
        (report) => this.connection.console.log(`deploy requests reconciled: ${JSON.stringify(report)}`),
        (err: unknown) => this.connection.console.log(`reconciling deploy requests did not finish: ${(err as Error).message}`),
      );
    }
    return dr;
  }

  /** The deploy requests, only if already connected: listings that merely decorate never start a server. */
  connectedDeployRequests(): DeployRequests | undefined {
    return this.deploys;
  }

  /** Only an already-known target: hover must never start a server. */
  statsLookup(): StatsLookup {
    return (branch, table) => this.stats.get(`${branch}\0${table}`)?.value;
  }

  /** Fetches live figures when a server is already there to ask (never starts one), waiting at most `waitMs`; never throws. */
  async prefetchStats(branch: string, table: string, waitMs: number): Promise<void> {
    const config = this.session.config;
    if (!config || !this.opts.trusted) return;
    const key = `${branch}\0${table}`;
    const cached = this.stats.get(key);
    if (cached && Date.now() - cached.at < STATS_TTL_MS) return;
    let pending = this.pendingStats.get(key);
    if (!pending) {
      pending = this.peekTarget()
        .then((target) => (target ? this.readStats(target, branchModule().branchDatabase(config, branch), table) : undefined))
        .then((value) => void this.stats.set(key, { at: Date.now(), value }))
        .catch(() => void this.stats.set(key, { at: Date.now(), value: undefined }))
        .finally(() => this.pendingStats.delete(key));
      this.pendingStats.set(key, pending);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([pending, new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
  }

  /** A server that is already reachable: the resolved one, a configured URL, or a sandbox already running. */
  private async peekTarget(): Promise<ServerTarget | undefined> {
    if (this.resolvedTarget) return this.resolvedTarget;
    const config = this.session.config;
    if (!config) return undefined;
    if (config.connection.url) return this.target();
    const st = await this.sandbox().status();
    return st.running ? st.target : undefined;
  }

  private readStats(target: ServerTarget, database: string, table: string): Promise<TableStats | undefined> {
    return connectionModule().withConnection(target, undefined, async (conn) => {
      const [rows] = await conn.query<RowDataPacket[]>('SELECT TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [database, table]);
      const r = rows[0];
      return r ? { rows: Number(r.TABLE_ROWS ?? 0), dataBytes: Number(r.DATA_LENGTH ?? 0), indexBytes: Number(r.INDEX_LENGTH ?? 0) } : undefined;
    });
  }

  databaseName(branch: string): string {
    return branchModule().branchDatabase(this.config(), branch);
  }

  sandbox() {
    if (!this.opts.trusted) throw untrusted();
    return connectionModule().workspaceSandbox(this.config(), this.sandboxChoice());
  }

  /** The server binary from the user's own settings or environment, never from the workspace. */
  private sandboxChoice() {
    return { sandboxBinary: this.opts.sandboxBinary, env: this.opts.env, warn: (m: string) => this.session.host.warn(m) };
  }

  /** The server changed (password, config, sandbox stopped): connect afresh next time. */
  forgetTarget(): void {
    this.targetPromise = undefined;
    this.resolvedTarget = undefined;
    const old = this.deploys;
    this.deploys = undefined;
    this.stopWindowWatch?.();
    this.stopWindowWatch = undefined;
    old?.dispose().catch(() => undefined);
  }

  dispose(): void {
    this.forgetTarget();
  }
}
