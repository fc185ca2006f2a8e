import { join } from 'node:path';
import type { Disposable } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { RequestType } from 'vscode-languageserver-protocol';
import { DeployBoard } from './deployBoard.js';
import type { Editor, Settings } from './editor.js';
import type { FolderRef } from './folders.js';
import { describeFailure, whyCannotRun, whyUntrusted, type ServerState } from './failure.js';
import { LEGACY_PASSWORD_SECRET, savedPasswordsValue, secretName } from './passwords.js';
import {
  DeployProgressNotification,
  DeployStateChangedNotification,
  ListDeployRequests,
  RevertWindowNotification,
  SAVED_PASSWORDS_ENV,
  ServerStatusNotification,
  type InitializationOptions,
} from './protocol.js';

export const LANGUAGE_ID = 'schemabranch-sql';
/** Global state: the servers (user@host:port) a password is saved for. */
const PASSWORD_SERVERS = 'schemabranch.passwordServers';

/**
 * One workspace folder's language server and what the client knows of it (its
 * deploy requests on `board`). The extension's lifetime and the language
 * server's lifetime are kept apart (rust-analyzer's ctx.ts): the extension's
 * parts live in its subscriptions until deactivate, `clientCleanup` is
 * disposed and refilled on every server restart.
 *
 * One session per folder (servedFolders.ts says why): the server stays
 * single-root, and each folder has its own config, database, sandbox and
 * deploy requests because each has its own server process.
 */
export class Session {
  readonly board = new DeployBoard();
  private client: LanguageClient | undefined;
  private readonly clientCleanup: Disposable[] = [];
  private stateListeners = new Set<(s: ServerState) => void>();
  state: ServerState = { kind: 'starting' };

  /**
   * `multiRoot`: the workspace has several folders, so the output channel names this one.
   * `grouped`: several folders are served now, so a request is named with its folder.
   */
  constructor(
    readonly editor: Editor,
    readonly folder: FolderRef,
    private readonly multiRoot = false,
    private readonly grouped: () => boolean = () => false,
  ) {}

  /** `#3`, or `billing #3` while several folders are served: a number is unique only within its folder. */
  requestName(number: number): string {
    return this.grouped() ? `${this.folder.name} #${number}` : `#${number}`;
  }

  /** The folder on disk. */
  get root(): string {
    return this.folder.path;
  }

  /** The settings as this folder sees them. */
  settings(): Settings {
    return this.editor.settings(this.folder);
  }

  pushClientCleanup(...d: Disposable[]): void {
    this.clientCleanup.push(...d);
  }

  onStateChange(listener: (s: ServerState) => void): Disposable {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  private setState(s: ServerState): void {
    this.state = s;
    for (const l of [...this.stateListeners]) l(s);
  }

  get outputChannel(): LanguageClient['outputChannel'] | undefined {
    return this.client?.outputChannel;
  }

  async start(): Promise<void> {
    this.setState({ kind: 'starting' });
    // Restricted Mode: the server lints and navigates only, and gets no password at all.
    const trusted = this.editor.isTrusted();
    // Out of band, in the environment: a verbose LSP trace prints every message, never this.
    const env = trusted ? { [SAVED_PASSWORDS_ENV]: savedPasswordsValue(await this.savedPasswords()) } : {};
    const serverModule = this.editor.context.asAbsolutePath(join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const settings = this.settings();
    const initializationOptions: InitializationOptions & { settings: typeof settings } = {
      lintRulesDoc: this.editor.context.asAbsolutePath(join('docs', 'lint-rules.md')),
      settings,
      trusted,
      sandboxBinary: settings.sandboxBinary,
      ssh: settings.sshAddress,
      sshKey: settings.sshKeyFile,
    };
    // Only this folder's files (lsp-multi-server-sample): a relative pattern, so the folder's path is never read as a glob.
    const inFolder = (pattern: string): { baseUri: string; pattern: string } => ({ baseUri: this.folder.uri, pattern });
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: LANGUAGE_ID, pattern: inFolder('**/*') },
        // A schema folder other than schema/ is not matched by the language's filenamePatterns.
        { scheme: 'file', language: 'sql', pattern: inFolder(`**/${settings.schemaFolder}/**/*.sql`) },
      ],
      // The server is told this folder only (initialize's workspaceFolders and rootUri), and settings are read as this folder sees them.
      workspaceFolder: this.editor.workspaceFolder(this.folder),
      synchronize: {
        configurationSection: 'schemabranch',
        fileEvents: this.editor.fileSystemWatcher(this.folder, `**/{schemabranch.json,${settings.schemaFolder}/**/*.sql}`),
      },
      initializationOptions,
      outputChannel: this.client?.outputChannel,
    };
    // The id stays 'schemabranch' in every folder: it is what the schemabranch.trace.server setting is named after.
    const client = new LanguageClient('schemabranch', this.multiRoot ? `Schema Branch: ${this.folder.name}` : 'Schema Branch', serverOptions, clientOptions);
    this.client = client;
    this.pushClientCleanup(
      client.onNotification(DeployStateChangedNotification.type, (p) => {
        if (!this.board.applyStateChange(p)) void this.refreshDeployRequests();
      }),
      client.onNotification(RevertWindowNotification.type, (p) => this.board.applyRevertWindow(p)),
      client.onNotification(DeployProgressNotification.type, (p) => this.board.applyProgress(p)),
      client.onNotification(ServerStatusNotification.type, (p) => this.board.setServerStatus(p)),
      client.onDidChangeState((e) => {
        // 1 = Stopped: the client gave up restarting the server.
        if (e.newState === 1 && this.state.kind === 'running') this.setState({ kind: 'stopped', reason: 'the server process exited.' });
      }),
    );
    try {
      await client.start();
    } catch (err) {
      this.setState({ kind: 'stopped', reason: `${err instanceof Error ? err.message : String(err)}.` });
      return;
    }
    this.setState({ kind: 'running' });
    await this.refreshDeployRequests();
  }

  /** Lists deploy requests once (on start and when a notification names one we do not know); in Restricted Mode, says why not. */
  async refreshDeployRequests(): Promise<string | undefined> {
    // Listing deploy requests connects to the database (or starts the sandbox): never in Restricted Mode.
    if (!this.editor.isTrusted()) return whyUntrusted('Listing deploy requests');
    try {
      this.board.replaceAll(await this.request(ListDeployRequests.type, {}));
      return undefined;
    } catch (err) {
      return describeFailure('Listing deploy requests', err).message;
    }
  }

  /** Every password saved per server; servers whose secret is gone are forgotten. */
  private async savedPasswords(): Promise<Map<string, string>> {
    const saved = new Map<string, string>();
    for (const key of this.editor.remembered(PASSWORD_SERVERS)) {
      const password = await this.editor.secret(secretName(key));
      if (password !== undefined) saved.set(key, password);
    }
    // The unbound secret of earlier versions was sent to whatever host a repository named: never used again.
    if (await this.editor.secret(LEGACY_PASSWORD_SECRET)) await this.editor.deleteSecret(LEGACY_PASSWORD_SECRET);
    return saved;
  }

  async stop(): Promise<void> {
    for (const d of this.clientCleanup.splice(0)) d.dispose();
    const client = this.client;
    if (client?.isRunning()) await client.stop();
    this.setState({ kind: 'stopped', reason: 'it was stopped.' });
  }

  async restart(): Promise<void> {
    await this.stop();
    // The old client's output channel is reused so the log stays in one place.
    await this.start();
  }

  /** A custom request; throws a sentence saying why when the server is not running. */
  async request<P, R>(type: RequestType<P, R, void>, params: P, title = 'This command'): Promise<R> {
    const why = whyCannotRun(title, this.state);
    if (why || !this.client) throw new Error(why ?? `${title} needs the language server.`);
    // By method name: the typed overload cannot resolve RequestParam<P> for a generic P; the wrapper keeps the types.
    return this.client.sendRequest<R>(type.method, params);
  }
}

/**
 * Saves (or, with '', forgets) the password of one server, for every folder:
 * a password belongs to a server, not to a folder. The secret change restarts
 * the servers with it.
 */
export async function savePassword(editor: Editor, serverKey: string, password: string): Promise<void> {
  const servers = editor.remembered(PASSWORD_SERVERS).filter((k) => k !== serverKey);
  if (password) {
    await editor.remember(PASSWORD_SERVERS, [...servers, serverKey]);
    await editor.storeSecret(secretName(serverKey), password);
  } else {
    await editor.remember(PASSWORD_SERVERS, servers);
    await editor.deleteSecret(secretName(serverKey));
  }
}
