import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { ServerTarget } from '../db/target.js';
import { findServerBinary, type ServerBinary } from './binary.js';
import { withStartLock } from './start-lock.js';
import { checkState, isAlive, type SandboxState } from './state.js';

export type { SandboxState } from './state.js';

/**
 * The embedded default: a private MySQL-family server in a data folder the
 * engine owns, on a Unix socket and a free loopback port, root with no
 * password. It runs detached, so a CLI call or an editor can start it and a
 * later one reuses it; its state file lets any process find it again, and a
 * stale one (after a crash or reboot) is detected and replaced.
 */
export interface SandboxOptions {
  /** Folder that holds data/, the socket, logs and state.json. */
  dir: string;
  /** mariadbd/mysqld to run, chosen by the user (never by a repository); searched on the PATH when absent. */
  binary?: string;
  /** Extra server options, e.g. ['--innodb-buffer-pool-size=256M']. */
  serverArgs?: string[];
  /** Told once per call when a state file is ignored because it does not prove itself. */
  warn?: (message: string) => void;
}

export type SandboxStatus = { running: true; state: SandboxState; target: ServerTarget } | { running: false; reason: string };

/**
 * The binary log production servers write, so every test and the benchmark
 * pay for it as they would there (MySQL 8 has it on by default; MariaDB 10.11
 * needs --log-bin). ROW format is what replicas and CDC tools want; a
 * server-id is required once the log is on; sync_binlog=1 is the durable
 * setting production uses. log_bin_trust_function_creators=1: with the log
 * on, CREATE TRIGGER needs SUPER otherwise, and the sandbox's root has SUPER
 * anyway, so trusting routine creators changes nothing but lets a test grant
 * a non-root user only the documented deploy privileges (docs/privileges.md);
 * the grants pre-flight still reports SUPER on a server that does not trust them.
 */
const BINARY_LOG_ARGS = [
  '--binlog-format=ROW',
  '--server-id=1',
  '--sync-binlog=1',
  '--log-bin-trust-function-creators=1',
  // A reused dev sandbox would otherwise keep every test run's log (MySQL 8 keeps 30 days by default).
  '--binlog-expire-logs-seconds=86400',
];

const READY_TIMEOUT_MS = 60_000;
/** Initialising a data folder plus a start: what a second starter may wait for. */
const START_LOCK_TIMEOUT_MS = 3 * READY_TIMEOUT_MS;

export class Sandbox {
  readonly dir: string;
  private readonly opts: SandboxOptions;
  private readonly warned = new Set<string>();

  constructor(opts: SandboxOptions) {
    this.opts = opts;
    this.dir = resolve(opts.dir);
  }

  private get stateFile(): string {
    return join(this.dir, 'state.json');
  }
  private get dataDir(): string {
    return join(this.dir, 'data');
  }
  /**
   * The server's own temp folder: bootstrap and sorts write `#sql-*` files there,
   * and a shared /tmp is cleaned by other processes (seen: install-db failing with
   * "Unknown table 'mysql.tmp_user_sys'" when its temp file vanished).
   */
  private get tmpDir(): string {
    return join(this.dir, 'tmp');
  }
  get logFile(): string {
    return join(this.dir, 'server.log');
  }

  /** Unix sockets are limited to ~104 bytes; deep workspaces get a socket in the temp folder instead. */
  private socketPath(): string {
    const inside = join(this.dir, 'mysql.sock');
    if (inside.length < 100) return inside;
    const hash = createHash('sha1').update(this.dir).digest('hex').slice(0, 12);
    return join(tmpdir(), `schemabranch-${hash}.sock`);
  }

  /**
   * The state file, if it proves itself (see state.ts); an unproven one is
   * ignored with a warning and never used to connect to or signal anything.
   */
  private readState(): { state?: SandboxState; ignored?: string } {
    const check = checkState(this.stateFile, { dataDir: this.dataDir, socketPath: this.socketPath() });
    if (check.kind === 'none') return {};
    if (check.kind === 'untrusted') {
      const ignored = `Ignoring ${this.stateFile}: ${check.reason}. It was not written by this sandbox; nothing it names is used or stopped.`;
      if (!this.warned.has(ignored)) this.opts.warn?.(ignored);
      this.warned.add(ignored);
      return { ignored };
    }
    return { state: check.state };
  }

  async status(): Promise<SandboxStatus> {
    const { state, ignored } = this.readState();
    if (!state) return { running: false, reason: ignored ?? 'not started' };
    if (!isAlive(state.pid)) return { running: false, reason: `stale state: process ${state.pid} is gone` };
    const target = targetOf(state);
    if (!(await canConnect(target))) return { running: false, reason: `process ${state.pid} is alive but does not accept connections` };
    return { running: true, state, target };
  }

  /** Starts the server, or returns the one already running from this folder. Safe to call from several processes at once. */
  async start(): Promise<ServerTarget> {
    const current = await this.status();
    if (current.running) return current.target;
    return withStartLock(this.dir, START_LOCK_TIMEOUT_MS, () => this.startLocked());
  }

  private async startLocked(): Promise<ServerTarget> {
    // Whoever held the lock before us may have started it already.
    const current = await this.status();
    if (current.running) return current.target;
    const stale = this.readState().state;
    if (stale && isAlive(stale.pid)) {
      // Alive but not answering: give it the time a starting server needs before giving up on it.
      const target = targetOf(stale);
      if (await waitUntil(() => canConnect(target), READY_TIMEOUT_MS)) return target;
      throw new Error(`The sandbox server (pid ${stale.pid}) is running but does not answer. See ${this.logFile}, or stop it with \`schemabranch sandbox stop\`.`);
    }
    const binary = findServerBinary(this.opts.binary);
    mkdirSync(this.tmpDir, { recursive: true });
    if (!existsSync(join(this.dataDir, 'mysql'))) this.initialise(binary);

    const socketPath = this.socketPath();
    rmSync(socketPath, { force: true });
    const port = await freePort();
    const args = [
      '--no-defaults',
      `--datadir=${this.dataDir}`,
      `--tmpdir=${this.tmpDir}`,
      `--socket=${socketPath}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(this.dir, 'server.pid')}`,
      `--log-error=${this.logFile}`,
      '--innodb-buffer-pool-size=512M',
      '--innodb-log-file-size=256M',
      '--innodb-flush-log-at-trx-commit=2',
      '--max-connections=500',
      ...BINARY_LOG_ARGS,
      `--log-bin=${join(this.dataDir, 'binlog')}`,
      ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      ...(this.opts.serverArgs ?? []),
    ];
    const out = openSync(this.logFile, 'a');
    const child = spawn(binary.server, args, { detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`Could not start ${binary.server}. See ${this.logFile}.`);
    const state: SandboxState = { pid, port, socketPath, flavor: binary.flavor, server: binary.server, startedAt: new Date().toISOString() };
    const target = targetOf(state);
    const ready = await waitUntil(async () => isAlive(pid) && (await canConnect(target)), READY_TIMEOUT_MS);
    if (!ready) {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      throw new Error(`The sandbox server did not start within ${READY_TIMEOUT_MS / 1000} s. Its log is ${this.logFile}:\n${tail(this.logFile)}`);
    }
    writeFileSync(this.stateFile, JSON.stringify(state, null, 2));
    return target;
  }

  /** Stops the server cleanly (SIGTERM lets InnoDB flush) and waits for it to exit. */
  async stop(): Promise<boolean> {
    const { state } = this.readState();
    if (!state || !isAlive(state.pid)) {
      rmSync(this.stateFile, { force: true });
      return false;
    }
    process.kill(state.pid, 'SIGTERM');
    const gone = await waitUntil(async () => !isAlive(state.pid), 60_000);
    if (!gone) throw new Error(`The sandbox server (pid ${state.pid}) did not stop within 60 s; see ${this.logFile}.`);
    rmSync(this.stateFile, { force: true });
    return true;
  }

  /** Stops the server and deletes its data folder. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private initialise(binary: ServerBinary): void {
    // Only a data folder made here may be removed on failure: never one that was already there.
    const created = !existsSync(this.dataDir);
    mkdirSync(this.dataDir, { recursive: true });
    mkdirSync(this.tmpDir, { recursive: true });
    const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
    const result =
      binary.flavor === 'mariadb' && binary.installer
        ? spawnSync(binary.installer, ['--no-defaults', `--datadir=${this.dataDir}`, `--tmpdir=${this.tmpDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot], { encoding: 'utf8' })
        : spawnSync(binary.server, ['--no-defaults', '--initialize-insecure', `--datadir=${this.dataDir}`, `--tmpdir=${this.tmpDir}`, ...asRoot], { encoding: 'utf8' });
    if (result.status !== 0) {
      if (created) rmSync(this.dataDir, { recursive: true, force: true });
      throw new Error(`Initialising the sandbox data folder failed (${binary.installer ?? binary.server} ${howItEnded(result)}).${outputOf(result)}`);
    }
  }
}

function targetOf(state: SandboxState): ServerTarget {
  return { socketPath: state.socketPath, host: '127.0.0.1', port: state.port, user: 'root' };
}

/** "exited with code 1", "was killed by SIGKILL", "could not be run: ENOENT": never "undefined". */
function howItEnded(result: SpawnSyncReturns<string>): string {
  if (result.error) return `could not be run: ${(result.error as NodeJS.ErrnoException).code ?? result.error.message}`;
  if (result.signal) return `was killed by ${result.signal}`;
  return `exited with code ${result.status}`;
}

function outputOf(result: SpawnSyncReturns<string>): string {
  const out = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim();
  return out ? `\n${out.slice(-2000)}` : ' It printed nothing.';
}

async function canConnect(target: ServerTarget): Promise<boolean> {
  try {
    const conn = await createConnection({ socketPath: target.socketPath, host: target.host, port: target.port, user: target.user, password: target.password, connectTimeout: 2000 });
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; Date.now() < deadline; delay = Math.min(delay * 2, 250)) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, delay));
  }
  return check();
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}
