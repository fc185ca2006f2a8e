/**
 * startServer: wires LSP messages to the pure handlers in features/ and the
 * engine-backed custom requests. The connection is injectable, so the same
 * server runs under VS Code (IPC), another editor (--stdio), or a test
 * (in-memory streams).
 */
import {
  CodeLensRefreshRequest,
  DidChangeWatchedFilesNotification,
  ResponseError,
  ProposedFeatures,
  TextDocumentSyncKind,
  type Connection,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { createConnection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { resolve } from 'node:path';
import { engine as defaultEngine, type SchemaEngine } from './engine.js';
import { completion } from './features/completion.js';
import { codeActions, formatDocument } from './features/edits.js';
import { codeLenses } from './features/branch-diff.js';
import { hover } from './features/hover.js';
import { resolveAt } from './features/resolve.js';
import { definition, prepareRename, references, rename } from './features/navigation.js';
import { documentSymbols, workspaceSymbols } from './features/symbols.js';
import { registerCustomRequests } from './custom-requests.js';
import { DatabaseAccess } from './database.js';
import { SAVED_PASSWORDS_ENV, ServerStatusNotification, type InitializationOptions } from './protocol.js';
import { savedPasswords } from './saved-passwords.js';
import { defaultLintRulesDoc, Session } from './session.js';
import { ServerStatus } from './status.js';
import { settingsFromSection } from './editor-settings.js';
import { applyWatchedFileChanges } from './watched-files.js';
import { uriToPath } from './workspace/workspace.js';

const HOVER_STATS_WAIT_MS = 300;
const DEPLOY_POLL_MS = 5000;

export interface StartServerOptions {
  connection?: Connection;
  engine?: SchemaEngine;
  /**
   * Environment for the saved passwords (SAVED_PASSWORDS_ENV), SCHEMABRANCH_URL
   * and SCHEMABRANCH_PASSWORD (default process.env).
   */
  env?: NodeJS.ProcessEnv;
  /**
   * Reconcile deploy requests (resume or fail orphans, close expired windows) when first connecting. Default
   * true; tests sharing one server with other suites turn it off so they never pick up another suite's deploys.
   */
  reconcileDeploys?: boolean;
  /** How often deploy requests changed by other processes are looked for, once connected (default 5 s). */
  deployPollMs?: number;
  /** Called once the session exists (tests and the bench reach its idle() through this). */
  onSession?: (session: Session) => void;
}

export function startServer(options: StartServerOptions = {}): Connection {
  const connection = options.connection ?? createConnection(ProposedFeatures.all);
  const engine = options.engine ?? defaultEngine;
  const documents = new TextDocuments(TextDocument);
  let session: Session | undefined;
  let database: DatabaseAccess | undefined;
  let watchDynamically = false;
  const status = new ServerStatus((s) => void connection.sendNotification(ServerStatusNotification.type, s));
  const log = (m: string): void => connection.console.log(m);
  const guard = <P, R>(fallback: R, fn: (s: Session, p: P) => R) => (p: P): R => {
    if (!session) return fallback;
    try {
      return fn(session, p);
    } catch (err) {
      // A ResponseError is an answer (e.g. a rename refused with its reason); anything else is our bug, logged, never fatal.
      if (err instanceof ResponseError) throw err;
      log(`request failed: ${(err as Error).stack ?? String(err)}`);
      return fallback;
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    // One root per server, by design: VS Code's client starts one server per workspace folder with a schema
    // (client/src/servedFolders.ts says why) and names that folder alone. Another editor that sends several
    // folders gets the first served, and is told so in the log.
    const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    const others = (params.workspaceFolders ?? []).slice(1).map((f) => f.name);
    const root = (rootUri && uriToPath(rootUri)) ?? params.rootPath ?? process.cwd();
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    const warned = new Set<string>();
    session = new Session(resolve(root), engine, {
      publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
      log,
      warn: (m) => {
        if (warned.has(m)) return;
        warned.add(m);
        log(m);
        void connection.window.showWarningMessage(m);
      },
      loaded: (files, ms) => status.workspaceLoaded(files, ms, session?.configError),
      lensesChanged: params.capabilities.workspace?.codeLens?.refreshSupport ? () => void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined) : undefined,
    }, init.lintRulesDoc ?? defaultLintRulesDoc(), init.settings);
    const env = options.env ?? process.env;
    const trusted = init.trusted !== false;
    database = new DatabaseAccess(session, connection, status, {
      trusted,
      // Restricted Mode uses no password at all, not even one the environment holds.
      savedPasswords: trusted ? savedPasswords(env[SAVED_PASSWORDS_ENV], log) : new Map(),
      env: trusted ? env : {},
      sandboxBinary: init.sandboxBinary,
      ssh: init.ssh,
      sshKey: init.sshKey,
      reconcile: options.reconcileDeploys ?? true,
      deployPollMs: options.deployPollMs ?? DEPLOY_POLL_MS,
    });
    if (others.length) log(`Serving ${root} only; start one server per folder for ${others.join(', ')}.`);
    if (!trusted) log('Restricted Mode: linting and navigation only; no server is started, no database connected, no password used.');
    options.onSession?.(session);
    watchDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        // Not space: a list after every space is noise; quick suggestions show it as soon as a letter is typed.
        completionProvider: { triggerCharacters: ['(', ',', '='] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
        documentFormattingProvider: true,
      },
      serverInfo: { name: 'schemabranch' },
    };
  });

  connection.onInitialized(() => {
    if (watchDynamically) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.sql' }, { globPattern: '**/schemabranch.json' }, { globPattern: '**/.git/HEAD' }],
      });
    }
    if (session) session.track(session.start(), 'the initial scan');
  });

  // onDidChangeContent also fires on open.
  documents.onDidChangeContent((e) => session?.edited(e.document.uri, e.document.getText()));
  documents.onDidClose((e) => {
    const s = session;
    if (s) s.track(s.workspace.closeBuffer(e.document.uri).then((b) => s.invalidate(b)), `closing ${e.document.uri}`);
  });
  documents.listen(connection);

  connection.onDidChangeWatchedFiles((params) => {
    const s = session;
    if (s) s.track(applyWatchedFileChanges(s, params.changes), 'applying file changes');
  });

  connection.onDidChangeConfiguration((params) => {
    const s = session;
    const settings = settingsFromSection((params.settings as Record<string, unknown> | null)?.schemabranch);
    if (!s || !settings) return;
    s.editorSettings = settings;
    if (s.loadConfig()) s.track(s.rescan(), 'rescanning after a settings change');
    else s.invalidateAll();
  });

  connection.onHover(async (p) => {
    const r = guard(undefined, (s, p2: HoverParams) => resolveAt(s.workspace, p2.textDocument.uri, p2.position))(p);
    // Live row count and size only if the branch database answers quickly; the hover never waits long for it.
    if (r && r.symbol.kind === 'table' && r.doc.branch !== undefined) await database?.prefetchStats(r.doc.branch, r.symbol.name, HOVER_STATS_WAIT_MS);
    return guard(null, (s2, p2: HoverParams) => hover(s2.workspace, p2, database?.statsLookup()))(p);
  });
  connection.onCompletion(guard([], (s, p) => completion(s.workspace, p)));
  connection.onDefinition(guard(null, (s, p) => definition(s.workspace, p)));
  connection.onReferences(guard(null, (s, p) => references(s.workspace, p)));
  connection.onPrepareRename(guard(null, (s, p) => prepareRename(s.workspace, p)));
  connection.onRenameRequest(guard(null, (s, p) => rename(s.workspace, p)));
  connection.onDocumentSymbol(guard([], (s, p) => documentSymbols(s.workspace, p)));
  connection.onWorkspaceSymbol(guard([], (s, p) => workspaceSymbols(s.workspace, p)));
  connection.onCodeAction(guard([], (s, p) => codeActions(s.workspace, p)));
  connection.onCodeLens(guard([], (s, p) => codeLenses(s.workspace, s.engine, s.normalizer, p)));
  connection.onDocumentFormatting(guard([], (s, p) => formatDocument(s.workspace, s.engine, p)));

  registerCustomRequests(connection, () => session, () => database);
  connection.onShutdown(() => database?.dispose());
  connection.listen();
  return connection;
}
