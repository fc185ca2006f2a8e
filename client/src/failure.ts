import type { UnavailableReason } from './protocol.js';

/** What the client knows about its language server, for commands that need it. */
export type ServerState = { kind: 'starting' } | { kind: 'running' } | { kind: 'stopped'; reason: string } | { kind: 'no-workspace' };

/**
 * Why a command that needs the server cannot run now (vscode-eslint's
 * placeholder commands): a sentence that says what to do, or undefined.
 */
export function whyCannotRun(title: string, state: ServerState): string | undefined {
  switch (state.kind) {
    case 'running':
      return undefined;
    case 'starting':
      return `${title} can run once the Schema Branch language server has started; try again in a few seconds.`;
    case 'no-workspace':
      return `${title} needs a workspace folder: open the folder that holds (or will hold) schemabranch.json and schema/.`;
    case 'stopped':
      return `${title} needs the Schema Branch language server, which stopped: ${state.reason} Run "Schema Branch: Restart Language Server" or see "Schema Branch: Show Output".`;
  }
}

/** The command VS Code offers for Restricted Mode: the workspace trust editor. */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

/**
 * Why a command that needs the database does not run in Restricted Mode (a
 * workspace the user has not trusted): nothing is started, connected or sent.
 */
export function whyUntrusted(title: string): string {
  return `${title} needs a trusted workspace. In Restricted Mode Schema Branch lints and navigates the schema files, but starts no server, connects to no database and sends no password, because the repository chooses the server and the settings. Trust this workspace to use ${title}.`;
}

function isUnavailable(data: unknown): data is UnavailableReason {
  return typeof data === 'object' && data !== null && typeof (data as UnavailableReason).reason === 'string' && typeof (data as UnavailableReason).message === 'string';
}

/** A failed request as one sentence, using the server's UnavailableReason when it sent one. */
export function describeFailure(title: string, err: unknown): { message: string; reason?: UnavailableReason['reason'] } {
  const data = (err as { data?: unknown } | undefined)?.data;
  if (isUnavailable(data)) {
    return { message: `${title}: ${data.message}${data.retrySafe ? ' (retrying is safe)' : ''}`, reason: data.reason };
  }
  const text = err instanceof Error ? err.message : String(err);
  return { message: `${title} failed: ${text}` };
}
