import * as vscode from 'vscode';
import { join } from 'node:path';
import { describeFailure } from './failure.js';
import { ListBranchesRequest, ShowDeployRequest, type BranchInfo, type DeployRequestDetail } from './protocol.js';
import { tableFiles } from './schemaPaths.js';
import type { Session } from './session.js';
import { branchView, changeView, deployRequestView, lintView, tableView, type NodeView } from './treeModel.js';

/** A tree row: the plain view plus what its children are made from. */
export interface Node {
  view: NodeView;
  branch?: BranchInfo;
  deployRequest?: number;
}

function toTreeItem(n: Node): vscode.TreeItem {
  const v = n.view;
  const item = new vscode.TreeItem(v.label, v.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = v.id;
  item.description = v.description;
  item.tooltip = v.tooltip;
  item.iconPath = new vscode.ThemeIcon(v.icon, v.iconColor ? new vscode.ThemeColor(v.iconColor) : undefined);
  item.contextValue = v.contextValue;
  if (v.command) item.command = v.command;
  return item;
}

/** Shared shape of both trees: a change event and a message line for errors. */
abstract class Tree implements vscode.TreeDataProvider<Node> {
  protected readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Set by the owner after createTreeView, to show why the tree is empty. */
  view: vscode.TreeView<Node> | undefined;

  refresh(): void {
    this.changed.fire(undefined);
  }
  getTreeItem(n: Node): vscode.TreeItem {
    return toTreeItem(n);
  }
  protected say(message: string | undefined): void {
    if (this.view) this.view.message = message;
  }
  abstract getChildren(n?: Node): Promise<Node[]>;
  dispose(): void {
    this.changed.dispose();
  }
}

/** Each branch, its tables and its change count vs main. */
export class BranchesTree extends Tree {
  constructor(private readonly session: Session) {
    super();
  }

  async getChildren(n?: Node): Promise<Node[]> {
    const root = this.session.editor.workspaceRoot();
    if (!root) return [];
    const folder = this.session.editor.settings().schemaFolder;
    if (n?.branch) {
      const b = n.branch;
      return tableFiles(root, folder, b.name).map((f) => ({ view: tableView(b.name, f, vscode.Uri.file(join(root, folder, b.name, f))) }));
    }
    if (n) return [];
    try {
      const branches = await this.session.request(ListBranchesRequest.type, {}, 'Listing branches');
      this.say(undefined);
      const sorted = [...branches].sort((a, b) => (a.name === 'main' ? -1 : b.name === 'main' ? 1 : a.name.localeCompare(b.name)));
      return sorted.map((b) => ({ view: branchView(b), branch: b }));
    } catch (err) {
      this.say(describeFailure('Listing branches', err).message);
      return [];
    }
  }
}

/** Deploy requests from the server's metadata; children are the diff and the lint verdict. */
export class DeployRequestsTree extends Tree {
  private readonly details = new Map<number, DeployRequestDetail>();

  constructor(private readonly session: Session) {
    super();
  }

  override refresh(): void {
    this.details.clear();
    super.refresh();
  }

  async getChildren(n?: Node): Promise<Node[]> {
    if (!n) {
      const list = this.session.board.list();
      if (list.length === 0) {
        const why = this.session.state.kind === 'running' ? await this.session.refreshDeployRequests() : undefined;
        this.say(why);
      } else this.say(undefined);
      return this.session.board.list().map((dr) => ({ view: deployRequestView(dr, Date.now()), deployRequest: dr.number }));
    }
    if (n.deployRequest === undefined) return [];
    const number = n.deployRequest;
    let detail = this.details.get(number);
    if (!detail) {
      try {
        detail = await this.session.request(ShowDeployRequest.type, { number }, `Showing #${number}`);
        this.details.set(number, detail);
      } catch (err) {
        return [{ view: { id: `dr-${number}-error`, label: describeFailure(`Showing #${number}`, err).message, icon: 'error', contextValue: 'error', collapsible: false } }];
      }
    }
    const parent = `dr-${number}`;
    const rows: Node[] = detail.changes.map((c, i) => ({ view: changeView(parent, i, c) }));
    rows.push(...detail.lint.map((f, i) => ({ view: lintView(parent, i, f) })));
    if (rows.length === 0) rows.push({ view: { id: `${parent}-empty`, label: 'No schema changes', icon: 'info', contextValue: 'empty', collapsible: false } });
    return rows;
  }
}
