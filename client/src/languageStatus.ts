import * as vscode from 'vscode';
import type { Editor } from './editor.js';
import { MANAGE_TRUST_COMMAND } from './failure.js';
import { Commands } from './protocol.js';
import { locateSchemaFile } from './schemaPaths.js';
import type { ServedFolders } from './servedFolders.js';

/** "Schema Branch: feature-x · sandbox ok" next to the language of a schema file. */
export class BranchLanguageStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly subs: { dispose(): void }[] = [];

  constructor(
    private readonly editor: Editor,
    private readonly folders: ServedFolders,
    selector: vscode.DocumentSelector,
  ) {
    this.item = editor.createLanguageStatusItem('schemabranch.branch', selector);
    this.item.name = 'Schema Branch';
    this.subs.push(editor.onActiveFileChanged(() => this.render()), folders.onChange((_s, c) => (c === 'serverStatus' || c === 'state' || c === 'folders') && this.render()));
    this.render();
  }

  /** The active file's folder speaks: its branch, its connection, its server's health. */
  render(): void {
    const file = this.editor.activeFile();
    const session = (file && this.folders.forFile(file.fsPath)) ?? this.folders.list()[0];
    if (!session) {
      this.item.text = '$(database) no branch';
      this.item.detail = 'no folder served';
      return;
    }
    const settings = session.settings();
    const where = file ? locateSchemaFile(session.root, settings.schemaFolder, file.fsPath) : undefined;
    const status = session.board.serverStatus();
    const state = session.state;
    const connection = settings.connectionUrl || 'embedded sandbox';
    const folder = this.folders.multiple ? `${session.folder.name} · ` : '';
    this.item.text = `$(database) ${where ? where.branch : 'no branch'}`;
    this.item.detail = folder + (state.kind !== 'running' ? `server ${state.kind}` : status ? `${connection}: ${status.message}` : connection);
    this.item.severity = status?.health === 'error' ? vscode.LanguageStatusSeverity.Error : status?.health === 'warning' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.item.command = { title: 'Show Output', command: Commands.showOutput };
    if (!this.editor.isTrusted()) {
      // Restricted Mode: say that the database side is off, and how to turn it on.
      this.item.detail = 'Restricted Mode: linting and navigation only, no database';
      this.item.command = { title: 'Manage Workspace Trust', command: MANAGE_TRUST_COMMAND };
    }
  }

  refresh(): void {
    this.render();
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
