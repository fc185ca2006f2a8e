import * as vscode from 'vscode';
import type { FolderRef } from './folders.js';

/** The settings the extension contributes (package.json "contributes.configuration"). */
export interface Settings {
  connectionUrl: string;
  schemaFolder: string;
  revertWindowMinutes: number;
  gatedDeploys: boolean;
  lintSeverity: Record<string, string>;
  /** Machine-scoped: only the user's own settings can name a program to run. */
  sandboxBinary?: string;
  /** Machine-scoped: an SSH tunnel is the user's to give, never a workspace's (engine/src/db/ssh.ts). */
  sshAddress?: string;
  sshKeyFile?: string;
}

/**
 * The only module that touches VS Code's globals (window, workspace,
 * commands, languages): everything else receives this object, so the UI
 * surface is listed in one place and other modules stay easy to read.
 */
export class Editor {
  constructor(readonly context: vscode.ExtensionContext) {}

  // ---------------------------------------------------------------- workspace

  /** Every folder of the workspace (one, or several in a multi-root workspace), file folders only. */
  workspaceFolders(): FolderRef[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ uri: f.uri.toString(), name: f.name, path: f.uri.fsPath }));
  }

  /** VS Code's own folder object, for the language client's `workspaceFolder` option. */
  workspaceFolder(folder: FolderRef): vscode.WorkspaceFolder {
    const uri = vscode.Uri.parse(folder.uri);
    return vscode.workspace.getWorkspaceFolder(uri) ?? { uri, name: folder.name, index: 0 };
  }

  onWorkspaceFoldersChanged(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeWorkspaceFolders(() => listener());
  }

  /** The settings as one folder sees them (its .vscode/settings.json over the workspace's and the user's). */
  settings(folder?: FolderRef): Settings {
    const c = vscode.workspace.getConfiguration('schemabranch', folder ? vscode.Uri.parse(folder.uri) : undefined);
    return {
      connectionUrl: c.get<string>('connection.url', ''),
      schemaFolder: c.get<string>('schemaFolder', 'schema'),
      revertWindowMinutes: c.get<number>('revertWindowMinutes', 30),
      gatedDeploys: c.get<boolean>('gatedDeploys', false),
      lintSeverity: c.get<Record<string, string>>('lint.severity', {}),
      sandboxBinary: c.get<string>('sandbox.binary') || undefined,
      sshAddress: c.get<string>('ssh.address') || undefined,
      sshKeyFile: c.get<string>('ssh.keyFile') || undefined,
    };
  }

  /** `affects(folder)` says whether the change reaches that folder's settings. */
  onSettingsChanged(listener: (affects: (folder: FolderRef) => boolean) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('schemabranch')) listener((f) => e.affectsConfiguration('schemabranch', vscode.Uri.parse(f.uri)));
    });
  }

  /** File-system events under the workspace (create/delete/change): editor events, not polling. */
  watch(glob: string, listener: (uri: vscode.Uri) => void): vscode.Disposable {
    const w = vscode.workspace.createFileSystemWatcher(glob);
    const subs = [w, w.onDidCreate(listener), w.onDidDelete(listener), w.onDidChange(listener)];
    return vscode.Disposable.from(...subs);
  }

  /** A watcher of `glob` inside one folder only (a relative pattern: the folder's path is never read as a glob). */
  fileSystemWatcher(folder: FolderRef, glob: string): vscode.FileSystemWatcher {
    return vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.parse(folder.uri), glob));
  }

  async createFolder(path: string): Promise<void> {
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(path));
  }

  async writeFile(path: string, text: string): Promise<void> {
    await vscode.workspace.fs.writeFile(vscode.Uri.file(path), Buffer.from(text, 'utf8'));
  }

  registerContentProvider(scheme: string, provider: vscode.TextDocumentContentProvider): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(scheme, provider);
  }

  async openDocument(uri: vscode.Uri, language?: string): Promise<void> {
    let doc = await vscode.workspace.openTextDocument(uri);
    if (language && doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  // ---------------------------------------------------------------- commands and context

  registerCommand(id: string, run: (...args: unknown[]) => unknown): vscode.Disposable {
    return vscode.commands.registerCommand(id, run);
  }

  async run(id: string, ...args: unknown[]): Promise<unknown> {
    return vscode.commands.executeCommand(id, ...args);
  }

  async setContext(key: string, value: unknown): Promise<void> {
    await vscode.commands.executeCommand('setContext', key, value);
  }

  async openDiff(left: vscode.Uri, right: vscode.Uri, title: string): Promise<void> {
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: false });
  }

  /** Opens a file the extension ships (a rule's documentation) at a line, in a preview tab. */
  async openFileAt(path: string, line = 0): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    const at = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(doc, { preview: true, selection: new vscode.Range(at, at) });
  }

  async revealInExplorer(uri: vscode.Uri): Promise<void> {
    await vscode.commands.executeCommand('revealInExplorer', uri);
  }

  // ---------------------------------------------------------------- messages and questions

  info(message: string, ...actions: string[]): Thenable<string | undefined> {
    return vscode.window.showInformationMessage(message, ...actions);
  }
  warn(message: string, ...actions: string[]): Thenable<string | undefined> {
    return vscode.window.showWarningMessage(message, ...actions);
  }
  error(message: string, ...actions: string[]): Thenable<string | undefined> {
    return vscode.window.showErrorMessage(message, ...actions);
  }

  /** A modal question naming what will happen; true only when the user picks `action`. */
  async confirm(c: { message: string; detail: string; action: string }): Promise<boolean> {
    const answer = await vscode.window.showWarningMessage(c.message, { modal: true, detail: c.detail }, c.action);
    return answer === c.action;
  }

  async pick<T extends vscode.QuickPickItem>(items: T[], placeHolder: string): Promise<T | undefined> {
    return vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });
  }

  async ask(options: vscode.InputBoxOptions): Promise<string | undefined> {
    return vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  }

  withProgress<R>(title: string, cancellable: boolean, task: (p: vscode.Progress<{ message?: string; increment?: number }>, t: vscode.CancellationToken) => Thenable<R>): Thenable<R> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, task);
  }

  // ---------------------------------------------------------------- UI parts

  createStatusBarItem(id: string, name: string): vscode.StatusBarItem {
    const item = vscode.window.createStatusBarItem(id, vscode.StatusBarAlignment.Left, 100);
    item.name = name;
    return item;
  }

  createLanguageStatusItem(id: string, selector: vscode.DocumentSelector): vscode.LanguageStatusItem {
    return vscode.languages.createLanguageStatusItem(id, selector);
  }

  createTreeView<T>(id: string, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
    return vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: true });
  }

  /**
   * A webview panel with scripts on and nothing else: no local resource roots
   * (the page loads no file), no command links; its document sets a strict CSP.
   */
  createWebviewPanel(viewType: string, title: string): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, { enableScripts: true, enableCommandUris: false, localResourceRoots: [], enableFindWidget: true });
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'schemabranch.svg');
    return panel;
  }

  activeFile(): vscode.Uri | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri?.scheme === 'file' ? uri : undefined;
  }

  onActiveFileChanged(listener: () => void): vscode.Disposable {
    return vscode.window.onDidChangeActiveTextEditor(() => listener());
  }

  // ---------------------------------------------------------------- trust

  /** False in Restricted Mode: the extension lints and navigates only. */
  isTrusted(): boolean {
    return vscode.workspace.isTrusted;
  }
  onTrustGranted(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidGrantWorkspaceTrust(listener);
  }

  // ---------------------------------------------------------------- secrets (never settings)

  secret(key: string): Thenable<string | undefined> {
    return this.context.secrets.get(key);
  }
  storeSecret(key: string, value: string): Thenable<void> {
    return this.context.secrets.store(key, value);
  }
  deleteSecret(key: string): Thenable<void> {
    return this.context.secrets.delete(key);
  }
  onSecretChanged(matches: (key: string) => boolean, listener: () => void): vscode.Disposable {
    return this.context.secrets.onDidChange((e) => {
      if (matches(e.key)) listener();
    });
  }

  /** Not secret (server names only), so global state: secret storage cannot list its keys. */
  remembered(key: string): string[] {
    return this.context.globalState.get<string[]>(key, []);
  }
  remember(key: string, values: string[]): Thenable<void> {
    return this.context.globalState.update(key, values);
  }
}
