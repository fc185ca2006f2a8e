/**
 * Passwords in the editor: one secret per server (`user@host:port` or
 * `user@socket:/path`, the server's serverKey), never one for "the database".
 * A repository that names another host finds no password saved for it. The
 * language server receives them in its environment (SAVED_PASSWORDS_ENV),
 * never in a message a trace could print. Node-only, so node:test runs it.
 */
import { sshKeySecretKey, type ConnectionTargetInfo, type DeployRequestInfo } from './protocol.js';

const SECRET_PREFIX = 'schemabranch.password/';
/** The single unbound secret of earlier versions: removed, never sent anywhere. */
export const LEGACY_PASSWORD_SECRET = 'schemabranch.password';

export function secretName(serverKey: string): string {
  return `${SECRET_PREFIX}${serverKey}`;
}

export function isPasswordSecret(name: string): boolean {
  return name.startsWith(SECRET_PREFIX);
}

/** The server's environment value: `{ key: password }` for every server a password is saved for. */
export function savedPasswordsValue(saved: ReadonlyMap<string, string>): string {
  return JSON.stringify(Object.fromEntries(saved));
}

const FROM: Record<ConnectionTargetInfo['source'], string> = {
  user: 'your SCHEMABRANCH_URL',
  workspace: "this workspace's connection.url",
  sandbox: 'the embedded sandbox',
};

/** What Set Password asks, naming the server the password will be bound to; or why there is nothing to ask. */
export function passwordQuestion(info: ConnectionTargetInfo): { prompt: string; key: string } | { refusal: string } {
  if (info.problem) return { refusal: `Set Password: the connection URL cannot be used: ${info.problem}` };
  if (info.source === 'sandbox' || !info.key) {
    return { refusal: 'This workspace uses the embedded sandbox, which needs no password. To use your own server, set connection.url in schemabranch.json (or the schemabranch.connection.url setting), then run Set Password again.' };
  }
  return {
    key: info.key,
    prompt: `Password for ${info.key} (from ${FROM[info.source]}). It is kept in VS Code's secret storage and sent only to ${info.key}. Leave empty to forget it.`,
  };
}

/** A deploy this window may be driving: restarting the server now would interrupt it. */
export function busyDeploy(list: readonly DeployRequestInfo[]): DeployRequestInfo | undefined {
  return list.find((d) => d.state === 'queued' || d.state === 'in_progress' || d.state === 'pending_cutover');
}

/**
 * What Set SSH Key Passphrase asks, naming the key file (the machine-scoped
 * `schemabranch.ssh.keyFile`) and the tunnel it opens; or why there is nothing to ask.
 * The passphrase is saved under the key file's path and only ever opens that file.
 */
export function passphraseQuestion(ssh: { sshAddress?: string; sshKeyFile?: string }): { prompt: string; key: string } | { refusal: string } {
  const file = ssh.sshKeyFile?.trim();
  if (!ssh.sshAddress?.trim() || !file) {
    return { refusal: 'No SSH key file is set: set schemabranch.ssh.address and schemabranch.ssh.keyFile in your user settings (an ssh-agent needs no passphrase here), then run Set SSH Key Passphrase again.' };
  }
  return {
    key: sshKeySecretKey(file),
    prompt: `Passphrase for the SSH key ${file} (the tunnel through ${ssh.sshAddress.trim()}). It is kept in VS Code's secret storage and only opens that key file. Leave empty to forget it.`,
  };
}
