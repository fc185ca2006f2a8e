import * as vscode from 'vscode';
import { revertStatusView, type FolderRevertWindow } from './revertStatus.js';
import type { ServedFolders } from './servedFolders.js';

/**
 * The status bar item of open revert windows. The deadline is the server's,
 * so the countdown is local arithmetic: the one-second timer only redraws,
 * it never asks the server anything, and it runs only while a window is open.
 */
export class RevertCountdown implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private commandKey = '';
  private readonly subscription: { dispose(): void };

  /** One item for every served folder: the soonest window shows, the others are counted. */
  constructor(
    private readonly item: vscode.StatusBarItem,
    private readonly folders: ServedFolders,
  ) {
    this.subscription = folders.onChange((_s, c) => {
      if (c === 'revertWindows' || c === 'requests' || c === 'folders') this.render();
    });
    this.render();
  }

  private windows(): FolderRevertWindow[] {
    const multiple = this.folders.multiple;
    return this.folders.list().flatMap((s) => s.board.revertWindows().map((w) => ({ ...w, folder: s.folder.uri, folderName: multiple ? s.folder.name : undefined })));
  }

  render(): void {
    const view = revertStatusView(this.windows(), Date.now());
    if (!view) {
      this.item.hide();
      this.stopTimer();
      return;
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    // Re-assigning the command every second would re-register it each time, and a click landing
    // between two ticks would hit an id just disposed ("Actual command not found"): only on change.
    const key = JSON.stringify(view.command);
    if (key !== this.commandKey) {
      this.commandKey = key;
      this.item.command = { title: 'Revert or skip revert', ...view.command };
    }
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    this.timer ??= setInterval(() => this.render(), 1000);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopTimer();
    this.subscription.dispose();
    this.item.dispose();
  }
}
