import { parseTlsParams, type TlsSettings } from './tls.js';

/** How to reach a MySQL-family server. The password never comes from a settings file. */
export interface ServerTarget {
  host?: string;
  port?: number;
  socketPath?: string;
  user: string;
  password?: string;
  /** From the URL's ssl-* parameters; absent: a plain connection (the sandbox, tests). */
  tls?: TlsSettings;
}

/** A target as text for messages and logs: never includes the password. */
export function describeTarget(t: ServerTarget): string {
  const where = t.socketPath ? `socket ${t.socketPath}` : `${t.host ?? '127.0.0.1'}:${t.port ?? 3306}`;
  return `${t.user}@${where}`;
}

/**
 * The server a password is saved for: `user@host:port` or `user@socket:/path`.
 * A password is only ever sent to a target with the same key, so a
 * repository that names another host (or port, or user) never receives it.
 */
export function serverKey(t: ServerTarget): string {
  if (t.socketPath) return `${t.user}@socket:${t.socketPath}`;
  return `${t.user}@${(t.host ?? '127.0.0.1').toLowerCase()}:${t.port ?? 3306}`;
}

/**
 * A URL (one value, not a whole message) as it may appear in a message:
 * whatever sits between `scheme://user:` and the last `@` is replaced, so a
 * password typed into a URL (even one that does not parse, or holds `@` or
 * `/`) is never echoed to a terminal, a JSON report or the editor.
 */
export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^:@/\s]*:)[\s\S]*@/, (_all, head: string) => `${head}***@`);
}

/**
 * Parses `mysql://user@host:port` (or `mysql://user@localhost?socket=/path`),
 * with TLS options as MySQL Shell writes them (`?ssl-mode=...&ssl-ca=...`, tls.ts).
 * A password in the URL is refused: it belongs in the secret store or
 * SCHEMABRANCH_PASSWORD, not in a file that gets committed.
 */
export function parseServerUrl(url: string, password?: string): ServerTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`The connection URL ${JSON.stringify(redactUrl(url))} is not a URL. Write it as mysql://user@host:3306.`);
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new Error(`The connection URL must start with mysql:// (got ${u.protocol}//).`);
  }
  if (u.password) {
    throw new Error('The connection URL contains a password. Remove it and set SCHEMABRANCH_PASSWORD or use "Schema Branch: Set Password" instead.');
  }
  const socket = u.searchParams.get('socket') ?? undefined;
  const host = socket ? undefined : u.hostname || '127.0.0.1';
  return {
    host,
    port: socket ? undefined : u.port ? Number(u.port) : 3306,
    socketPath: socket,
    user: decodeURIComponent(u.username || 'root'),
    password,
    tls: parseTlsParams(u.searchParams, host),
  };
}
