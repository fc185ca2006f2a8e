import * as vscode from 'vscode';
import { BranchDiffRequest } from './protocol.js';
import { diffDocumentText } from './schemaPaths.js';
import type { Session } from './session.js';

export const DIFF_SCHEME = 'schemabranch-diff';

/** `schemabranch-diff:/feature-x vs main.sql?branch=feature-x&base=main` */
export function diffUri(branch: string, base: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${branch} vs ${base}.sql`, query: new URLSearchParams({ branch, base }).toString() });
}

/** The branch's ALTER statements as a read-only SQL document; re-asked when the branch's files change. */
export class DiffDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly open = new Set<string>();

  constructor(private readonly session: Session) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const branch = q.get('branch') ?? '';
    const base = q.get('base') ?? 'main';
    this.open.add(uri.toString());
    try {
      return diffDocumentText(await this.session.request(BranchDiffRequest.type, { branch, base }, `Diff of ${branch}`));
    } catch (err) {
      return `-- The diff of ${branch} vs ${base} is not available: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }

  /** Called when schema files change: open previews update themselves. */
  refreshAll(): void {
    for (const u of this.open) this.changed.fire(vscode.Uri.parse(u));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
