import type { Disposable, QuickPickItem } from 'vscode';
import type { BoardChange } from './deployBoard.js';
import { DeployProgress } from './deployProgress.js';
import type { Editor } from './editor.js';
import { folderOfPath, foldersToServe, routeCommand, type FolderRef } from './folders.js';
import { busyDeploy } from './passwords.js';
import { CancelDeployRequest } from './protocol.js';
import { hasSchemaFolder } from './schemaPaths.js';
import { Session } from './session.js';

export type FoldersChange = BoardChange | 'state' | 'folders';
type Listener = (session: Session | undefined, change: FoldersChange) => void;

/**
 * Every served workspace folder, each with its own language client and server
 * (a Session).
 *
 * Why one server per folder rather than one server for every folder: a folder
 * is a whole schemabranch project (its schemabranch.json, its connection, its
 * sandbox, its `_schemabranch` metadata and deploy-request numbers), and the
 * server already is exactly that for one root. One client per folder (the
 * pattern of vscode's lsp-multi-server-sample) keeps the server single-root
 * and simple; each client's documentSelector holds only its folder's files and
 * its `workspaceFolder` is set, so documents, settings and file events never
 * cross folders, and a folder added or removed starts or stops one server
 * without touching the others. The cost is a process per served folder, which
 * is small next to the database work each may do.
 */
export class ServedFolders implements Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly progress = new Map<string, DeployProgress>();
  private readonly wiring = new Map<string, Disposable[]>();
  private readonly listeners = new Set<Listener>();
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly editor: Editor) {}

  onChange(listener: Listener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(session: Session | undefined, change: FoldersChange): void {
    for (const l of [...this.listeners]) l(session, change);
  }

  /** Whether a folder has a schema: schemabranch.json, or its schema folder's main/. */
  hasSchema(folder: FolderRef): boolean {
    return hasSchemaFolder(folder.path, this.editor.settings(folder).schemaFolder);
  }

  /** Whether any workspace folder has a schema (the welcome view shows otherwise). */
  anyHasSchema(): boolean {
    return this.editor.workspaceFolders().some((f) => this.hasSchema(f));
  }

  /**
   * Starts a server for each folder that should have one and stops those of
   * folders gone from the workspace (or that lost their schema, unless a
   * deploy runs there). Calls are queued: folder events can come in bursts.
   */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncNow()).catch(() => undefined);
    return this.syncing;
  }

  private async syncNow(): Promise<void> {
    const all = this.editor.workspaceFolders();
    const wanted = foldersToServe(all, (f) => this.hasSchema(f));
    const multiRoot = all.length > 1;
    let changed = false;
    for (const [uri, s] of [...this.sessions]) {
      const keep = wanted.some((f) => f.uri === uri) || (all.some((f) => f.uri === uri) && busyDeploy(s.board.list()));
      if (keep) continue;
      this.forget(uri);
      await s.stop();
      changed = true;
    }
    const starting: Promise<void>[] = [];
    for (const f of wanted) {
      if (this.sessions.has(f.uri)) continue;
      const s = this.add(f, multiRoot);
      starting.push(s.start());
      changed = true;
    }
    if (changed) this.emit(undefined, 'folders');
    await Promise.all(starting);
  }

  private add(folder: FolderRef, multiRoot: boolean): Session {
    const s = new Session(this.editor, folder, multiRoot, () => this.multiple);
    this.sessions.set(folder.uri, s);
    this.progress.set(
      folder.uri,
      new DeployProgress(this.editor, s.board, async (number) => {
        await s.request(CancelDeployRequest.type, { number }, `Cancel ${this.requestTitle(s, number)}`);
      }, (n) => this.requestTitle(s, n)),
    );
    this.wiring.set(folder.uri, [s.board.onChange((c) => this.emit(s, c)), s.onStateChange(() => this.emit(s, 'state'))]);
    return s;
  }

  private forget(uri: string): void {
    for (const d of this.wiring.get(uri) ?? []) d.dispose();
    this.wiring.delete(uri);
    this.progress.get(uri)?.dispose();
    this.progress.delete(uri);
    this.sessions.delete(uri);
  }

  /** The served folders' sessions, in the workspace's folder order. */
  list(): Session[] {
    const order = this.editor.workspaceFolders().map((f) => f.uri);
    return [...this.sessions.values()].sort((a, b) => order.indexOf(a.folder.uri) - order.indexOf(b.folder.uri));
  }

  /** More than one folder served: trees group by folder and titles name the folder. */
  get multiple(): boolean {
    return this.sessions.size > 1;
  }

  get(folderUri: string | undefined): Session | undefined {
    return folderUri === undefined ? undefined : this.sessions.get(folderUri);
  }

  /** The session whose folder holds a file (the innermost folder when nested). */
  forFile(path: string): Session | undefined {
    const f = folderOfPath(this.list().map((s) => s.folder), path);
    return f && this.sessions.get(f.uri);
  }

  progressOf(session: Session): DeployProgress | undefined {
    return this.progress.get(session.folder.uri);
  }

  /**
   * The session a command acts on (folders.ts routeCommand): the argument's
   * folder, the active file's, the only one, or the user's pick. Undefined
   * when nothing is served or the pick is dismissed.
   */
  async choose(arg: unknown, why: string): Promise<Session | undefined> {
    const route = routeCommand(this.list().map((s) => s.folder), arg, this.editor.activeFile()?.fsPath);
    if (route.kind === 'folder') return this.sessions.get(route.folder.uri);
    if (route.kind === 'none') return undefined;
    return this.sessions.get((await this.pickFolder(route.folders, why))?.uri ?? '');
  }

  /** A quick pick of folders, named and with their path. */
  async pickFolder(folders: readonly FolderRef[], why: string): Promise<FolderRef | undefined> {
    const items = folders.map((f) => ({ label: f.name, description: f.path, folder: f }));
    return (await this.editor.pick<QuickPickItem & { folder: FolderRef }>(items, `${why}: in which folder?`))?.folder;
  }

  /** `#3` with one folder, `app #3` with several: a number is only unique within its folder. */
  requestTitle(session: Session, number: number): string {
    return session.requestName(number);
  }

  async restartAll(only?: (s: Session) => boolean): Promise<void> {
    await Promise.all(this.list().filter((s) => !only || only(s)).map((s) => s.restart()));
  }

  async stopAll(): Promise<void> {
    const all = this.list();
    for (const s of all) this.forget(s.folder.uri);
    await Promise.all(all.map((s) => s.stop()));
  }

  dispose(): void {
    void this.stopAll();
  }
}
