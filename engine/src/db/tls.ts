/**
 * TLS in the connection URL, following MySQL Shell's URI convention:
 * `?ssl-mode=DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY&ssl-ca=...&ssl-cert=...&ssl-key=...`.
 * Parsing is pure; the files are read once, when a connection is opened.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolveInWorkspace } from '../config/paths.js';

export const SSL_MODES = ['DISABLED', 'PREFERRED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface TlsSettings {
  mode: SslMode;
  /** The URL named the mode itself (a weaker one than REQUIRED for a remote host is then the user's choice). */
  explicit: boolean;
  /** Paths as written in the URL. */
  ca?: string;
  cert?: string;
  key?: string;
}

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * The ssl-* parameters of a URL. Without ssl-mode: VERIFY_CA when a CA is
 * given (as MySQL Shell does), REQUIRED for a TCP host other than loopback,
 * else PREFERRED. An explicit mode weaker than REQUIRED is kept: the caller
 * decides whether the URL's author may choose it (checkTlsSource).
 */
export function parseTlsParams(params: URLSearchParams, host: string | undefined): TlsSettings {
  const raw = params.get('ssl-mode');
  const ca = params.get('ssl-ca') || undefined;
  const cert = params.get('ssl-cert') || undefined;
  const key = params.get('ssl-key') || undefined;
  let mode: SslMode;
  if (raw !== null) {
    const upper = raw.trim().toUpperCase();
    if (!(SSL_MODES as readonly string[]).includes(upper)) {
      throw new Error(`ssl-mode=${raw} is not a TLS mode. Use one of ${SSL_MODES.join(', ')}, e.g. mysql://user@host:3306?ssl-mode=VERIFY_IDENTITY&ssl-ca=/path/ca.pem.`);
    }
    mode = upper as SslMode;
  } else if (ca) mode = 'VERIFY_CA';
  else mode = host !== undefined && !isLoopback(host) ? 'REQUIRED' : 'PREFERRED';
  if ((cert === undefined) !== (key === undefined)) throw new Error('ssl-cert and ssl-key go together: give both (the client certificate and its private key), or neither.');
  if ((mode === 'VERIFY_CA' || mode === 'VERIFY_IDENTITY') && !ca) throw new Error(`ssl-mode=${mode} checks the server's certificate against a CA: add ssl-ca=/path/to/ca.pem to the URL.`);
  if (mode === 'DISABLED' && (ca || cert || key)) throw new Error('ssl-mode=DISABLED with ssl-ca/ssl-cert/ssl-key: remove the certificates or choose another ssl-mode.');
  return { mode, explicit: raw !== null, ca, cert, key };
}

/**
 * A URL from the repository (schemabranch.json) is untrusted: it may not make
 * the engine read files outside the workspace, nor turn TLS below REQUIRED for
 * a remote host (a saved password would then travel in the clear). Returns the
 * settings with the paths resolved inside the workspace.
 */
export function checkWorkspaceTls(root: string, tls: TlsSettings, host: string | undefined): TlsSettings {
  if (host !== undefined && !isLoopback(host) && (tls.mode === 'DISABLED' || tls.mode === 'PREFERRED')) {
    throw new Error(`The workspace's connection.url asks for ssl-mode=${tls.mode} to ${host}, which may send the login unencrypted. Only you can choose that: pass the URL yourself (--url or SCHEMABRANCH_URL), or use ssl-mode=REQUIRED or stronger.`);
  }
  const inside = (p: string | undefined, what: string): string | undefined => (p === undefined ? undefined : resolveInWorkspace(root, p, `connection.url's ${what}`, 'Pass a URL with certificates elsewhere yourself (--url or SCHEMABRANCH_URL).'));
  return { ...tls, ca: inside(tls.ca, 'ssl-ca'), cert: inside(tls.cert, 'ssl-cert'), key: inside(tls.key, 'ssl-key') };
}

/**
 * Whether a connection with these settings is encrypted. PREFERRED connects
 * plain: mysql2 cannot fall back within one handshake, and PREFERRED is only
 * the default where traffic stays on the machine (socket, loopback).
 */
export function encrypts(tls: TlsSettings | undefined): tls is TlsSettings {
  return tls !== undefined && tls.mode !== 'DISABLED' && tls.mode !== 'PREFERRED';
}

/** mysql2's `ssl` option for the settings; undefined means a plain connection. */
export function mysql2Ssl(tls: TlsSettings | undefined): { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean; verifyIdentity: boolean } | undefined {
  if (!encrypts(tls)) return undefined;
  const read = (p: string | undefined, what: string): Buffer | undefined => {
    if (p === undefined) return undefined;
    try {
      return readFileSync(p);
    } catch (err) {
      throw new Error(`Cannot read ${what} ${p} named in the connection URL: ${(err as Error).message}. Fix the path.`);
    }
  };
  const verify = tls.mode === 'VERIFY_CA' || tls.mode === 'VERIFY_IDENTITY';
  return { ca: read(tls.ca, 'ssl-ca'), cert: read(tls.cert, 'ssl-cert'), key: read(tls.key, 'ssl-key'), rejectUnauthorized: verify, verifyIdentity: tls.mode === 'VERIFY_IDENTITY' };
}
