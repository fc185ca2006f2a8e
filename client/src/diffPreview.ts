import * as vscode from 'vscode';
import { BranchDiffRequest } from './protocol.js';
import { diffDocumentText } from './schemaPaths.js';
import type { ServedFolders } from './servedFolders.js';

export const DIFF_SCHEME = 'schemabranch-diff';

/** `schemabranch-diff:/feature-x vs main.sql?branch=feature-x&base=main&folder=file%3A...`: the folder says whose branch. */
export function diffUri(branch: string, base: string, folder: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${branch} vs ${base}.sql`, query: new URLSearchParams({ branch, base, folder }).toString() });
}

/** Push plans shown before a push asks to run them, by id: the text is what the server answered, kept as shown. */
const plans = new Map<string, string>();
let planCount = 0;

/** A read-only document of the statements a push would run, exactly as they would be sent. */
export function planUri(branch: string, statements: readonly string[]): vscode.Uri {
  const id = String(++planCount);
  plans.set(id, `-- Push ${branch}: ${statements.length} statement${statements.length === 1 ? '' : 's'}, exactly as they would be sent\n${statements.map((s) => `${s};`).join('\n')}\n`);
  return vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/push ${branch}.sql`, query: new URLSearchParams({ plan: id }).toString() });
}

/** The branch's ALTER statements as a read-only SQL document; re-asked when the branch's files change. */
export class DiffDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly open = new Set<string>();

  constructor(private readonly folders: ServedFolders) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    // Compare with main's left side for a table main does not have.
    if (q.get('empty')) return '';
    const plan = q.get('plan');
    if (plan) return plans.get(plan) ?? '-- This push plan is gone: run Push Branch again.\n';
    const branch = q.get('branch') ?? '';
    const base = q.get('base') ?? 'main';
    this.open.add(uri.toString());
    try {
      const session = this.folders.get(q.get('folder') ?? undefined);
      if (!session) throw new Error('its workspace folder is no longer served');
      return diffDocumentText(await session.request(BranchDiffRequest.type, { branch, base }, `Diff of ${branch}`));
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
