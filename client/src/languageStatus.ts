import * as vscode from 'vscode';
import type { DeployBoard } from './deployBoard.js';
import type { Editor } from './editor.js';
import { MANAGE_TRUST_COMMAND, type ServerState } from './failure.js';
import { Commands } from './protocol.js';
import { locateSchemaFile } from './schemaPaths.js';

/** "Schema Branch: feature-x · sandbox ok" next to the language of a schema file. */
export class BranchLanguageStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly subs: { dispose(): void }[] = [];

  constructor(
    private readonly editor: Editor,
    private readonly board: DeployBoard,
    private readonly serverState: () => ServerState,
    selector: vscode.DocumentSelector,
  ) {
    this.item = editor.createLanguageStatusItem('schemabranch.branch', selector);
    this.item.name = 'Schema Branch';
    this.subs.push(editor.onActiveFileChanged(() => this.render()), board.onChange((c) => c === 'serverStatus' && this.render()));
    this.render();
  }

  render(): void {
    const root = this.editor.workspaceRoot();
    const file = this.editor.activeFile();
    const where = root && file ? locateSchemaFile(root, this.editor.settings().schemaFolder, file.fsPath) : undefined;
    const status = this.board.serverStatus();
    const state = this.serverState();
    const connection = this.editor.settings().connectionUrl || 'embedded sandbox';
    this.item.text = `$(database) ${where ? where.branch : 'no branch'}`;
    this.item.detail = state.kind !== 'running' ? `server ${state.kind}` : status ? `${connection}: ${status.message}` : connection;
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
