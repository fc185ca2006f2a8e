/**
 * SSH tunnels to a server behind a bastion (issue 11), with ssh2 (no spawned
 * `ssh`). The tunnel is the user's choice, never a repository's: a repository
 * that could name a bastion could route the database password through a host
 * of its own. So it comes from `--ssh ssh://user@bastion:22` or SCHEMABRANCH_SSH,
 * with the key from `--ssh-key` / SCHEMABRANCH_SSH_KEY or the running
 * ssh-agent. A key's passphrase comes from SCHEMABRANCH_SSH_PASSPHRASE (never a
 * flag, which shell history keeps) or, in the editor, from its secret storage,
 * saved per key file (the `savedPassphrase` lookup). The bastion's host key must be in known_hosts
 * (SCHEMABRANCH_SSH_KNOWN_HOSTS, default ~/.ssh/known_hosts): an unknown or
 * changed key is refused before anything is sent.
 *
 * The tunnel is a listener on 127.0.0.1 that forwards each connection through
 * the bastion, so every connection the engine opens (mysql2, pools, the
 * migration's sessions) goes through it unchanged.
 */
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client, utils, type ConnectConfig } from 'ssh2';
import type { ServerTarget } from './target.js';

export const SSH_ENV = 'SCHEMABRANCH_SSH';
export const SSH_KEY_ENV = 'SCHEMABRANCH_SSH_KEY';
export const KNOWN_HOSTS_ENV = 'SCHEMABRANCH_SSH_KNOWN_HOSTS';
export const SSH_PASSPHRASE_ENV = 'SCHEMABRANCH_SSH_PASSPHRASE';

export interface SshSettings {
  host: string;
  port: number;
  user: string;
  /** A private key file; absent: the ssh-agent at SSH_AUTH_SOCK. */
  identityFile?: string;
  /** The key file's passphrase, when it has one. */
  passphrase?: string;
  knownHosts: string;
}

/**
 * The user's SSH settings for this run (flags first, then the environment), or undefined for no tunnel.
 * `savedPassphrase` looks a key file's passphrase up in the editor's secret storage, by the file's path.
 */
export function sshSettings(opts: { ssh?: string; sshKey?: string; env?: NodeJS.ProcessEnv; savedPassphrase?: (secret: string) => string | undefined }): SshSettings | undefined {
  const env = opts.env ?? process.env;
  const url = opts.ssh?.trim() || env[SSH_ENV]?.trim();
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url.includes('://') ? url : `ssh://${url}`);
  } catch {
    throw new Error(`The SSH tunnel ${JSON.stringify(url)} is not an address: write it as ssh://user@bastion.example.com:22.`);
  }
  if (u.protocol !== 'ssh:' || !u.hostname || !u.username) throw new Error(`The SSH tunnel ${JSON.stringify(url)} needs a user and a host: ssh://user@bastion.example.com:22.`);
  if (u.password) throw new Error('The SSH tunnel address contains a password. Use a key (--ssh-key or SCHEMABRANCH_SSH_KEY) or an ssh-agent instead.');
  const identityFile = opts.sshKey?.trim() || env[SSH_KEY_ENV]?.trim() || undefined;
  const passphrase = identityFile ? env[SSH_PASSPHRASE_ENV] || opts.savedPassphrase?.(identityFile) || undefined : undefined;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 22,
    user: decodeURIComponent(u.username),
    identityFile,
    ...(passphrase === undefined ? {} : { passphrase }),
    knownHosts: env[KNOWN_HOSTS_ENV]?.trim() || join(homedir(), '.ssh', 'known_hosts'),
  };
}

/** The host names known_hosts writes for a host and port: `host` for 22, `[host]:port` otherwise. */
function hostNames(host: string, port: number): string[] {
  return port === 22 ? [host] : [`[${host}]:${port}`];
}

/** Whether a known_hosts host field (plain list, or a hashed `|1|salt|hash`) names one of `names`. */
function fieldMatches(field: string, names: string[]): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return names.some((n) => createHmac('sha1', Buffer.from(salt, 'base64')).update(n).digest('base64') === hash);
  }
  return field.split(',').some((p) => names.includes(p));
}

/** The keys known_hosts holds for the bastion (base64 blobs), skipping @revoked and @cert-authority lines. */
export function knownKeys(knownHostsText: string, host: string, port: number): string[] {
  const names = hostNames(host, port);
  const out: string[] = [];
  for (const line of knownHostsText.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (!parts[0] || parts[0].startsWith('#') || parts[0].startsWith('@')) continue;
    if (parts.length >= 3 && fieldMatches(parts[0], names)) out.push(parts[2]!);
  }
  return out;
}

export class SshHostKeyError extends Error {}

/** A key file that needs a passphrase nobody gave, or was given a wrong one: the fix is the passphrase. */
export class SshKeyPassphraseError extends Error {}

/** The private key of `ssh.identityFile`, decrypted with its passphrase when it has one. */
function privateKey(ssh: SshSettings & { identityFile: string }): Buffer {
  const key = readFileSync(ssh.identityFile);
  const parsed = utils.parseKey(key, ssh.passphrase);
  if (!(parsed instanceof Error)) return key;
  const askFor = `In a terminal set ${SSH_PASSPHRASE_ENV} (or add the key to your ssh-agent with ssh-add and leave --ssh-key out); in the editor run "Schema Branch: Set SSH Key Passphrase".`;
  if (/no passphrase given/.test(parsed.message)) throw new SshKeyPassphraseError(`The SSH key ${ssh.identityFile} is protected by a passphrase. ${askFor}`);
  if (ssh.passphrase !== undefined && /passphrase|decrypt/i.test(parsed.message)) throw new SshKeyPassphraseError(`The passphrase given for the SSH key ${ssh.identityFile} does not open it. ${askFor}`);
  throw new Error(`The SSH key ${ssh.identityFile} cannot be read (${parsed.message}). Give a private key file in OpenSSH or PEM format.`);
}

function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Opens a tunnel to `target` through the bastion and returns the target to
 * connect to instead (127.0.0.1 and the listener's port); closing it ends
 * the SSH session. The target's password and TLS settings are kept.
 */
export async function openTunnel(target: ServerTarget, ssh: SshSettings): Promise<{ target: ServerTarget; close: () => Promise<void> }> {
  if (target.socketPath) throw new Error('An SSH tunnel reaches a TCP server: give the database URL a host and port, not a socket.');
  // Through the tunnel the server is reached as 127.0.0.1, which its certificate does not name.
  if (target.tls?.mode === 'VERIFY_IDENTITY') throw new Error('ssl-mode=VERIFY_IDENTITY through an SSH tunnel is not supported yet: use ssl-mode=VERIFY_CA (the certificate is still checked against ssl-ca).');
  const known = existsSync(ssh.knownHosts) ? knownKeys(readFileSync(ssh.knownHosts, 'utf8'), ssh.host, ssh.port) : [];
  const client = new Client();
  let hostProblem: string | undefined;
  const config: ConnectConfig = {
    host: ssh.host,
    port: ssh.port,
    username: ssh.user,
    readyTimeout: 15_000,
    hostVerifier: (key: Buffer) => {
      if (known.includes(key.toString('base64'))) return true;
      const where = `${ssh.host}${ssh.port === 22 ? '' : `:${ssh.port}`}`;
      hostProblem = known.length
        ? `The SSH host key of ${where} (${fingerprint(key)}) is not the one ${ssh.knownHosts} holds for it: refusing to connect (a changed key can mean someone in between). Check with the bastion's owner before updating known_hosts.`
        : `The SSH host ${where} is not in ${ssh.knownHosts}: refusing to connect to a host whose key nobody checked. Check its key fingerprint (${fingerprint(key)}), then add it, e.g. \`ssh-keyscan -p ${ssh.port} ${ssh.host} >> ${ssh.knownHosts}\`.`;
      return false;
    },
  };
  if (ssh.identityFile) {
    config.privateKey = privateKey({ ...ssh, identityFile: ssh.identityFile });
    config.passphrase = ssh.passphrase;
  } else if (process.env.SSH_AUTH_SOCK) config.agent = process.env.SSH_AUTH_SOCK;
  else throw new Error('The SSH tunnel needs a key: give --ssh-key (or SCHEMABRANCH_SSH_KEY), or start an ssh-agent with your key added.');

  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', (err) => {
      client.end();
      reject(hostProblem ? new SshHostKeyError(hostProblem) : new Error(`SSH to ${ssh.user}@${ssh.host}:${ssh.port} failed: ${err.message}`));
    });
    client.connect(config);
  });
  const dbHost = target.host ?? '127.0.0.1';
  const dbPort = target.port ?? 3306;
  const server: Server = createServer((sock) => {
    client.forwardOut(sock.remoteAddress ?? '127.0.0.1', sock.remotePort ?? 0, dbHost, dbPort, (err, stream) => {
      if (err) {
        sock.destroy(err);
        return;
      }
      sock.pipe(stream).pipe(sock);
      const end = (): void => {
        sock.destroy();
        stream.destroy();
      };
      sock.once('error', end);
      stream.once('error', end);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A CLI run ends when its work does: the tunnel must not keep the process alive.
  server.unref();
  (client as unknown as { _sock?: { unref?: () => void } })._sock?.unref?.();
  const port = (server.address() as AddressInfo).port;
  return {
    target: { ...target, host: '127.0.0.1', port },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      client.end();
    },
  };
}
