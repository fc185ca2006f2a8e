/**
 * Which server a run talks to and which password goes with it. A repository
 * is untrusted input: its schemabranch.json may name any host, so a password
 * is only ever paired with the server it was given for:
 * - SCHEMABRANCH_PASSWORD goes only to the URL the user gave alongside it
 *   (`--url` or SCHEMABRANCH_URL), never to one read from the repository;
 * - a password saved in the editor is bound to one `user@host:port` (or
 *   socket) key and is sent only to a target with that key.
 */
import type { WorkspaceConfig } from '../config/types.js';
import { describeTarget, parseServerUrl, serverKey, type ServerTarget } from './target.js';

export const PASSWORD_ENV = 'SCHEMABRANCH_PASSWORD';
export const URL_ENV = 'SCHEMABRANCH_URL';

export interface CredentialOptions {
  /** The server the user named for this run (the CLI's --url); SCHEMABRANCH_URL in `env` when absent. Wins over schemabranch.json. */
  userUrl?: string;
  /** Environment for SCHEMABRANCH_URL and SCHEMABRANCH_PASSWORD (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** An SSH tunnel the user asked for (`--ssh`; else SCHEMABRANCH_SSH in `env`) and its key file (ssh.ts). Never from the workspace. */
  ssh?: string;
  sshKey?: string;
  /** Passwords saved per server (the editor's secret store), looked up by serverKey. */
  savedPassword?: (key: string) => string | undefined;
  /** An SSH key file's passphrase saved in the editor's secret store, looked up by the file's path. */
  savedPassphrase?: (identityFile: string) => string | undefined;
}

/** Where the URL came from: the user (flag, environment) or the workspace (schemabranch.json, workspace settings). */
export type UrlSource = 'user' | 'workspace';

export interface ChosenServer {
  /** Undefined: no URL anywhere, the embedded sandbox is used. */
  target?: ServerTarget;
  source?: UrlSource;
}

/** The URL the user gave, if any (flag first, then SCHEMABRANCH_URL). */
export function userGivenUrl(opts: CredentialOptions): string | undefined {
  const env = opts.env ?? process.env;
  return opts.userUrl?.trim() || env[URL_ENV]?.trim() || undefined;
}

/** The configured server without any password: enough to name it (Set Password, messages). */
export function chooseServerUrl(config: WorkspaceConfig, opts: CredentialOptions = {}): ChosenServer {
  const userUrl = userGivenUrl(opts);
  const url = userUrl ?? config.connection.url;
  if (!url) return {};
  return { target: parseServerUrl(url), source: userUrl ? 'user' : 'workspace' };
}

/**
 * The server with the one password that belongs to it. Throws, before any
 * connection, when SCHEMABRANCH_PASSWORD is set but the URL came from the
 * workspace: silently dropping it would end in a puzzling "access denied".
 */
export function chooseServer(config: WorkspaceConfig, opts: CredentialOptions = {}): ChosenServer {
  const chosen = chooseServerUrl(config, opts);
  const { target, source } = chosen;
  if (!target) return chosen;
  const envPassword = (opts.env ?? process.env)[PASSWORD_ENV] || undefined;
  if (source === 'user' && envPassword !== undefined) return { target: { ...target, password: envPassword }, source };
  const saved = opts.savedPassword?.(serverKey(target));
  if (saved !== undefined) return { target: { ...target, password: saved }, source };
  if (envPassword !== undefined && source === 'workspace') {
    throw new Error(
      `${PASSWORD_ENV} is only sent to a server you name yourself, and ${describeTarget(target)} comes from the workspace's configuration. ` +
        `Pass the URL alongside the password (--url mysql://user@host:port or ${URL_ENV}), or use a connection that needs no password (a socket, or the embedded sandbox).`,
    );
  }
  return chosen;
}
