import * as vscode from 'vscode';
import { join } from 'node:path';
import { describeFailure } from './failure.js';
import { requestKey } from './folders.js';
import { ListBranchesRequest, ShowDeployRequest, type BranchInfo, type DeployRequestDetail } from './protocol.js';
import { tableFiles } from './schemaPaths.js';
import type { ServedFolders } from './servedFolders.js';
import type { Session } from './session.js';
import { branchView, changeView, deployRequestView, inFolder, lintView, messageView, tableView, treeTop, type NodeView, type TreeName } from './treeModel.js';

/** A tree row: the plain view plus what its children are made from. */
export interface Node {
  view: NodeView;
  /** The row's workspace folder (its uri): commands run from the row act there. */
  folder?: string;
  /** A folder's own row (several folders served): its children are that folder's rows. */
  folderRow?: boolean;
  branch?: BranchInfo;
  deployRequest?: number;
}

function toTreeItem(n: Node): vscode.TreeItem {
  const v = n.view;
  const state = !v.collapsible ? vscode.TreeItemCollapsibleState.None : v.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(v.label, state);
  item.id = v.id;
  item.description = v.description;
  item.tooltip = v.tooltip;
  item.iconPath = new vscode.ThemeIcon(v.icon, v.iconColor ? new vscode.ThemeColor(v.iconColor) : undefined);
  item.contextValue = v.contextValue;
  if (v.command) item.command = v.command;
  return item;
}

/**
 * Shared shape of both trees: a change event, a message line for errors, and
 * the folder level (treeModel.ts treeTop): one served folder shows its rows on
 * top, several show a row per folder with its rows below.
 */
abstract class Tree implements vscode.TreeDataProvider<Node> {
  protected readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Set by the owner after createTreeView, to show why the tree is empty. */
  view: vscode.TreeView<Node> | undefined;

  constructor(
    private readonly name: TreeName,
    protected readonly folders: ServedFolders,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }
  getTreeItem(n: Node): vscode.TreeItem {
    return toTreeItem(n);
  }
  protected say(message: string | undefined): void {
    if (this.view) this.view.message = message;
  }

  async getChildren(n?: Node): Promise<Node[]> {
    if (n && !n.folderRow) {
      const s = this.folders.get(n.folder);
      return s ? this.childrenOf(s, n) : [];
    }
    const sessions = this.folders.list();
    if (!n) {
      if (sessions.length === 0) return [];
      const top = treeTop(this.name, sessions.map((s) => s.folder));
      if ('folders' in top) {
        this.say(undefined);
        return top.folders.map(({ folder, view }) => ({ view, folder: folder.uri, folderRow: true }));
      }
    }
    const s = n ? this.folders.get(n.folder) : sessions[0];
    if (!s) return [];
    const grouped = this.folders.multiple;
    const rows = await this.topRows(s, grouped);
    if (!grouped) {
      this.say(rows.message);
      return rows.nodes;
    }
    return rows.message && rows.nodes.length === 0 ? [{ view: messageView(`${s.folder.uri}/${this.name}-message`, rows.message), folder: s.folder.uri }] : rows.nodes;
  }

  /** A folder's top rows, and why there are none when that is worth saying. */
  protected abstract topRows(s: Session, grouped: boolean): Promise<{ nodes: Node[]; message?: string }>;
  protected abstract childrenOf(s: Session, n: Node): Promise<Node[]>;

  dispose(): void {
    this.changed.dispose();
  }
}

/** Each branch, its tables and its change count vs main. */
export class BranchesTree extends Tree {
  constructor(folders: ServedFolders) {
    super('branches', folders);
  }

  protected async topRows(s: Session, grouped: boolean): Promise<{ nodes: Node[]; message?: string }> {
    try {
      const branches = await s.request(ListBranchesRequest.type, {}, 'Listing branches');
      const sorted = [...branches].sort((a, b) => (a.name === 'main' ? -1 : b.name === 'main' ? 1 : a.name.localeCompare(b.name)));
      return { nodes: sorted.map((b) => ({ view: inFolder(branchView(b), s.folder, grouped), folder: s.folder.uri, branch: b })) };
    } catch (err) {
      return { nodes: [], message: describeFailure('Listing branches', err).message };
    }
  }

  protected async childrenOf(s: Session, n: Node): Promise<Node[]> {
    const b = n.branch;
    if (!b) return [];
    const schemaFolder = s.settings().schemaFolder;
    const grouped = this.folders.multiple;
    return tableFiles(s.root, schemaFolder, b.name).map((f) => ({ view: inFolder(tableView(b.name, f, vscode.Uri.file(join(s.root, schemaFolder, b.name, f))), s.folder, grouped), folder: s.folder.uri }));
  }
}

/** Deploy requests from each server's metadata; children are the diff and the lint verdict. */
export class DeployRequestsTree extends Tree {
  /** Keyed by folder and number: each folder's database numbers its own requests. */
  private readonly details = new Map<string, DeployRequestDetail>();

  constructor(folders: ServedFolders) {
    super('deployRequests', folders);
  }

  override refresh(): void {
    this.details.clear();
    super.refresh();
  }

  protected async topRows(s: Session, grouped: boolean): Promise<{ nodes: Node[]; message?: string }> {
    let message: string | undefined;
    if (s.board.list().length === 0 && s.state.kind === 'running') message = await s.refreshDeployRequests();
    const nodes = s.board.list().map((dr) => ({ view: inFolder(deployRequestView(dr, Date.now(), s.folder.uri), s.folder, grouped), folder: s.folder.uri, deployRequest: dr.number }));
    return { nodes, message };
  }

  protected async childrenOf(s: Session, n: Node): Promise<Node[]> {
    if (n.deployRequest === undefined) return [];
    const number = n.deployRequest;
    const key = requestKey(s.folder.uri, number);
    const grouped = this.folders.multiple;
    const title = this.folders.requestTitle(s, number);
    let detail = this.details.get(key);
    if (!detail) {
      try {
        detail = await s.request(ShowDeployRequest.type, { number }, `Showing ${title}`);
        this.details.set(key, detail);
      } catch (err) {
        return [{ view: inFolder(messageView(`dr-${number}-error`, describeFailure(`Showing ${title}`, err).message), s.folder, grouped), folder: s.folder.uri }];
      }
    }
    const parent = `dr-${number}`;
    const rows: NodeView[] = detail.changes.map((c, i) => changeView(parent, i, c));
    rows.push(...detail.lint.map((f, i) => lintView(parent, i, f)));
    if (rows.length === 0) rows.push({ id: `${parent}-empty`, label: 'No schema changes', icon: 'info', contextValue: 'empty', collapsible: false });
    return rows.map((view) => ({ view: inFolder(view, s.folder, grouped), folder: s.folder.uri }));
  }
}
