/**
 * Which server a workspace talks to, and connections to it. A URL wins (with
 * only the password bound to it: credentials.ts); otherwise the embedded
 * sandbox in the workspace is started on demand and reused by every later
 * call, from this process or another.
 */
import { createConnection, createPool, type Connection, type Pool, type PoolOptions } from 'mysql2/promise';
import { resolve } from 'node:path';
import type { WorkspaceConfig } from '../config/types.js';
import { Sandbox } from '../sandbox/sandbox.js';
import { chooseServer, PASSWORD_ENV, URL_ENV, type CredentialOptions } from './credentials.js';
import type { ServerTarget } from './target.js';
import { checkWorkspaceTls, encrypts, mysql2Ssl } from './tls.js';
import { openTunnel, sshSettings } from './ssh.js';
import { BACKSLASH_ESCAPES_ON } from '../sql/quote.js';

/** The user's choice of sandbox server binary in a terminal (a repository's config cannot name one). */
export const SANDBOX_BINARY_ENV = 'SCHEMABRANCH_MARIADBD';

/**
 * Where the sandbox's server binary may come from, most specific first: the
 * editor's user-level setting, SCHEMABRANCH_MARIADBD, then the PATH. Never the
 * workspace: running a program a repository names is running its code.
 */
export interface SandboxChoice {
  /** From the user's own settings (VS Code user scope), passed by the client. */
  sandboxBinary?: string;
  /** Environment to read SCHEMABRANCH_MARIADBD from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Things the user should know but that do not stop the command (an ignored state file). */
  warn?: (message: string) => void;
}

export type ResolveServerOptions = CredentialOptions & SandboxChoice;

export async function resolveServer(root: string, config: WorkspaceConfig, opts: ResolveServerOptions = {}): Promise<ServerTarget> {
  const { target, source } = chooseServer(config, opts);
  const ssh = sshSettings({ ssh: opts.ssh, sshKey: opts.sshKey, env: opts.env, savedPassphrase: opts.savedPassphrase });
  if (!target) {
    if (ssh) throw new Error('An SSH tunnel leads to a server: give its URL too (--url mysql://user@db-host:3306, or connection.url). The embedded sandbox needs no tunnel.');
    return workspaceSandbox(config, opts).start(); // its folder is already resolved against root by the config loader
  }
  // A repository's URL may not read certificates outside it nor weaken TLS to a remote host.
  const checked = source === 'workspace' && target.tls ? { ...target, tls: checkWorkspaceTls(root, target.tls, target.host) } : target;
  // The password stays bound to the database's own address (chooseServer); the tunnel only carries the bytes.
  return ssh ? (await openTunnel(checked, ssh)).target : checked;
}

/** The embedded server of a workspace (not started). */
export function workspaceSandbox(config: WorkspaceConfig, choice: SandboxChoice = {}): Sandbox {
  const env = choice.env ?? process.env;
  const binary = choice.sandboxBinary?.trim() || env[SANDBOX_BINARY_ENV]?.trim() || undefined;
  return new Sandbox({ dir: config.connection.sandbox.dir, binary: binary && resolve(binary), warn: choice.warn });
}

/**
 * The one set of mysql2 options every connection to a user's server is made with
 * (the engine's sessions, the deploy store, replicas): its TLS settings included,
 * so no connection of a deploy goes out less protected than the URL asked.
 */
export function connectionOptions(target: ServerTarget, database?: string) {
  return {
    host: target.socketPath ? undefined : target.host,
    port: target.socketPath ? undefined : target.port,
    socketPath: target.socketPath,
    user: target.user,
    password: target.password,
    database,
    // One statement per query, always: text that smuggles a second statement fails instead of running.
    multipleStatements: false,
    // DDL text and defaults come back as written, not reinterpreted as JS dates.
    dateStrings: true,
    supportBigNumbers: true,
    charset: 'utf8mb4_general_ci',
    connectTimeout: 10_000,
    ssl: target.socketPath ? undefined : mysql2Ssl(target.tls),
  };
}

export async function openConnection(target: ServerTarget, database?: string): Promise<Connection> {
  try {
    return await literalSession(await createConnection(connectionOptions(target, database)));
  } catch (err) {
    throw explainConnectError(err, target, database);
  }
}

export function openPool(target: ServerTarget, database?: string, options: Partial<PoolOptions> = {}): Pool {
  return literalPool(createPool({ ...connectionOptions(target, database), connectionLimit: 4, ...options }));
}

/** A new connection whose string literals mean what quoteString and mysql2's escaping say (BACKSLASH_ESCAPES_ON); closed if that fails. */
export async function literalSession(conn: Connection): Promise<Connection> {
  try {
    await conn.query(BACKSLASH_ESCAPES_ON);
    return conn;
  } catch (err) {
    await conn.end().catch(() => conn.destroy());
    throw err;
  }
}

/** The same for every connection a pool opens: queued ahead of anything the pool's user sends on it. */
export function literalPool(pool: Pool): Pool {
  // mysql2 hands this event the callback-style connection (its typings say otherwise), so a callback it is.
  pool.on('connection', (conn) => (conn as unknown as CallbackConnection).query(BACKSLASH_ESCAPES_ON, () => undefined));
  return pool;
}

interface CallbackConnection {
  query(sql: string, done: (err: Error | null) => void): void;
}

/** Runs `fn` with a new connection and closes it afterwards, whatever happens. */
export async function withConnection<T>(target: ServerTarget, database: string | undefined, fn: (conn: Connection) => Promise<T>): Promise<T> {
  const conn = await openConnection(target, database);
  try {
    return await fn(conn);
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

const ADD_SSL_MODE = 'add ssl-mode=REQUIRED to the connection URL (better VERIFY_IDENTITY with ssl-ca=/path/to/ca.pem), e.g. mysql://app@db.example.com:3306?ssl-mode=VERIFY_IDENTITY&ssl-ca=/path/to/ca.pem.';

function explainConnectError(err: unknown, target: ServerTarget, database?: string): Error {
  const e = err as { code?: string; message?: string };
  const where = target.socketPath ? `socket ${target.socketPath}` : `${target.host ?? '127.0.0.1'}:${target.port ?? 3306}`;
  const who = `${target.user}@${where}`;
  const plainTcp = !target.socketPath && !encrypts(target.tls);
  switch (e.code) {
    case 'ER_ACCESS_DENIED_ERROR':
      // MariaDB 10.11 with require_secure_transport=ON answers a plain TCP login so (measured), not with MySQL's 3159.
      return new Error(`The server at ${who} refused the login${target.password ? '' : ' (no password was given)'}. In the terminal set ${PASSWORD_ENV} with --url (or ${URL_ENV}) naming this server; in VS Code run "Schema Branch: Set Password" for ${who}.${plainTcp ? ` If the server only accepts encrypted connections (require_secure_transport), ${ADD_SSL_MODE}` : ''} Then retry.`);
    case 'ER_BAD_DB_ERROR':
      return new Error(`The database ${database ?? ''} does not exist on ${who}. Create the branch first (schemabranch branch create <name>) or push main.`);
    case 'ER_SECURE_TRANSPORT_REQUIRED':
      return new Error(`The server at ${who} only accepts encrypted connections: ${ADD_SSL_MODE}`);
    case 'ECONNREFUSED':
    case 'ENOENT':
      return new Error(`Nothing answers at ${who}. Start the server, fix "connection.url" in schemabranch.json, or remove the url to use the embedded sandbox. Retrying is safe.`);
    default:
      return new Error(`Cannot connect to ${who}: ${e.message ?? String(err)}`);
  }
}
