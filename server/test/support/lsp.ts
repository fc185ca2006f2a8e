/**
 * A language client for tests: real LSP (JSON-RPC over a pair of in-memory
 * streams) to a server started by startServer, as the editor would speak it.
 * Waiting is always on a message (diagnostics, status), never on a timer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type Diagnostic,
  type FileEvent,
  type Position,
} from 'vscode-languageserver-protocol';
import { createConnection } from 'vscode-languageserver/node';
import { ServerStatusNotification, type ServerStatusParams } from '../../src/protocol.js';
import { startServer } from '../../src/server.js';
import type { Session } from '../../src/session.js';

/** Files of a workspace, relative path -> content. */
export type Files = Record<string, string | Buffer>;

export function makeWorkspace(files: Files, prefix = 'sb-lsp-'): { root: string; uri: (rel: string) => string; write: (rel: string, text: string | Buffer) => string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const write = (rel: string, text: string | Buffer): string => {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    return abs;
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { root, uri: (rel) => pathToFileURL(join(root, rel)).toString(), write, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Splits a fixture at its `|` cursor marker: the text without it, and the LSP position of the marker. */
export function cursor(fixture: string): { text: string; position: Position } {
  const at = fixture.indexOf('|');
  if (at < 0) throw new Error('fixture has no | cursor marker');
  const text = fixture.slice(0, at) + fixture.slice(at + 1);
  const before = fixture.slice(0, at).split('\n');
  return { text, position: { line: before.length - 1, character: before[before.length - 1].length } };
}

type Waiter = { uri: string; test: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void };

export class TestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly notifications: Array<{ method: string; params: unknown }> = [];
  private readonly waiters: Waiter[] = [];
  private readonly noteWaiters: Array<{ method: string; test: (p: unknown) => boolean; resolve: (p: unknown) => void }> = [];
  private readonly versions = new Map<string, number>();
  session!: Session;
  status!: ServerStatusParams;
  /** workspace/codeLens/refresh requests received (only a client started with codeLensRefresh gets them). */
  lensRefreshes = 0;

  constructor(readonly conn: MessageConnection) {
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.test(p.diagnostics)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p.diagnostics);
        }
      }
    });
    conn.onNotification((method, params) => {
      this.notifications.push({ method, params });
      for (const w of [...this.noteWaiters]) {
        if (w.method === method && w.test(params)) {
          this.noteWaiters.splice(this.noteWaiters.indexOf(w), 1);
          w.resolve(params);
        }
      }
    });
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('workspace/codeLens/refresh', () => {
      this.lensRefreshes++;
      return null;
    });
    conn.onRequest('window/showMessageRequest', () => null);
  }

  /** Resolves with the next diagnostics for `uri` that pass `test` (or the current ones, if they already do and `fresh` is false). */
  nextDiagnostics(uri: string, test: (d: Diagnostic[]) => boolean = () => true, fresh = true): Promise<Diagnostic[]> {
    const current = this.diagnostics.get(uri);
    if (!fresh && current && test(current)) return Promise.resolve(current);
    return new Promise((resolve) => this.waiters.push({ uri, test, resolve }));
  }

  /** The first notification of `type` (already received or still to come) whose params pass `test`. */
  notification<P>(type: { method: string }, test: (p: P) => boolean = () => true): Promise<P> {
    const seen = this.notifications.find((n) => n.method === type.method && test(n.params as P));
    if (seen) return Promise.resolve(seen.params as P);
    return new Promise((resolve) => this.noteWaiters.push({ method: type.method, test: (p) => test(p as P), resolve: (p) => resolve(p as P) }));
  }

  open(uri: string, text: string): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const next = this.nextDiagnostics(uri);
    void this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version: 1, text } });
    return next;
  }

  /** Replaces the whole buffer (a full-content change; opens it first if needed) and resolves with the diagnostics it produced. */
  change(uri: string, text: string): Promise<Diagnostic[]> {
    if (!this.versions.has(uri)) return this.open(uri, text);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const next = this.nextDiagnostics(uri);
    void this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return next;
  }

  /** Closes an editor buffer: the server goes back to the file on disk. Resolves once it has revalidated. */
  async closeDocument(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await this.roundTrip();
    await this.session.idle();
  }

  /** Sends file events and resolves once the server has revalidated. */
  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
    // Messages are handled in order: once this round trip returns, the server has started (and tracks) the work.
    await this.roundTrip();
    await this.session.idle();
    // The diagnostics it published are on the wire before this answer, so they have arrived when it does.
    await this.roundTrip();
  }

  roundTrip(): Promise<unknown> {
    return this.conn.sendRequest('workspace/symbol', { query: '\u0000' });
  }

  /** Shuts the server down. No `exit`: the node connection answers it with process.exit, which would end the test run. */
  async close(): Promise<void> {
    await this.conn.sendRequest(ShutdownRequest.type);
    this.conn.dispose();
  }
}

export interface StartOptions {
  initializationOptions?: unknown;
  env?: NodeJS.ProcessEnv;
  /** Sees every byte on the wire, both directions: what a verbose LSP trace could ever show. */
  wire?: (chunk: Buffer) => void;
  /** Declare workspace.codeLens.refreshSupport, as VS Code does. */
  codeLensRefresh?: boolean;
}

/** Tests see other processes' deploy-request changes quickly; the editor default is 5 s. */
const TEST_DEPLOY_POLL_MS = 100;

/** Starts a server over in-memory streams, initializes it on `root`, and waits until every file is loaded and checked. */
export async function startClient(root: string, opts: StartOptions = {}): Promise<TestClient> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  if (opts.wire) {
    const tap = opts.wire;
    toServer.on('data', (d: Buffer) => tap(d));
    toClient.on('data', (d: Buffer) => tap(d));
  }
  let session: Session | undefined;
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  // No reconcile: the test server is shared, and another suite's deploys are not ours to resume.
  startServer({ connection: serverConnection, env: opts.env ?? {}, reconcileDeploys: false, deployPollMs: TEST_DEPLOY_POLL_MS, onSession: (s) => (session = s) });
  const conn = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const client = new TestClient(conn);
  const loaded = client.notification<ServerStatusParams>(ServerStatusNotification.type);
  conn.listen();
  await conn.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: pathToFileURL(root).toString(),
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, codeLens: { refreshSupport: opts.codeLensRefresh === true } } },
    workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'ws' }],
    initializationOptions: opts.initializationOptions,
  });
  await conn.sendNotification(InitializedNotification.type, {});
  client.status = await loaded;
  if (!session) throw new Error('startServer did not create a session');
  client.session = session;
  return client;
}
