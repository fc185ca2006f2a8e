/** How to reach a MySQL-family server. The password never comes from a settings file. */
export interface ServerTarget {
  host?: string;
  port?: number;
  socketPath?: string;
  user: string;
  password?: string;
}

/** A target as text for messages and logs: never includes the password. */
export function describeTarget(t: ServerTarget): string {
  const where = t.socketPath ? `socket ${t.socketPath}` : `${t.host ?? '127.0.0.1'}:${t.port ?? 3306}`;
  return `${t.user}@${where}`;
}

/**
 * Parses `mysql://user@host:port` (or `mysql://user@localhost?socket=/path`).
 * A password in the URL is refused: it belongs in the secret store or
 * SCHEMABRANCH_PASSWORD, not in a file that gets committed.
 */
export function parseServerUrl(url: string, password?: string): ServerTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`The connection URL ${JSON.stringify(url)} is not a URL. Write it as mysql://user@host:3306.`);
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new Error(`The connection URL must start with mysql:// (got ${u.protocol}//).`);
  }
  if (u.password) {
    throw new Error('The connection URL contains a password. Remove it and set SCHEMABRANCH_PASSWORD or use "Schema Branch: Set Password" instead.');
  }
  const socket = u.searchParams.get('socket') ?? undefined;
  return {
    host: socket ? undefined : u.hostname || '127.0.0.1',
    port: socket ? undefined : u.port ? Number(u.port) : 3306,
    socketPath: socket,
    user: decodeURIComponent(u.username || 'root'),
    password,
  };
}
