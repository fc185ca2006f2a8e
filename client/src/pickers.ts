import type { QuickPickItem } from 'vscode';
import { ListBranchesRequest, type BranchInfo, type DeployRequestInfo, type DeployRequestState } from './protocol.js';
import { locateSchemaFile } from './schemaPaths.js';
import type { Session } from './session.js';
import type { Node } from './trees.js';
import { stateLabel } from './treeModel.js';

/** The branch of the file in the active editor, if it is a schema file of this session's folder. */
export function activeBranch(session: Session): string | undefined {
  const file = session.editor.activeFile();
  return file ? locateSchemaFile(session.root, session.settings().schemaFolder, file.fsPath)?.branch : undefined;
}

/** A branch from a tree node argument, else a quick pick (the active file's branch first). */
export async function chooseBranch(session: Session, arg: unknown, placeHolder: string, includeMain: boolean): Promise<BranchInfo | undefined> {
  const fromNode = (arg as Node | undefined)?.branch;
  if (fromNode) return fromNode;
  const branches = (await session.request(ListBranchesRequest.type, {}, 'Listing branches')).filter((b) => includeMain || b.name !== 'main');
  if (branches.length === 0) {
    await session.editor.info(includeMain ? 'There are no branches yet.' : 'There is no branch besides main: run "Schema Branch: Create Branch" first.');
    return undefined;
  }
  const current = activeBranch(session);
  const items = branches
    .sort((a, b) => (a.name === current ? -1 : b.name === current ? 1 : a.name.localeCompare(b.name)))
    .map((b) => ({ label: b.name, description: b.name === 'main' ? 'production schema' : `${b.changesVsMain} changes vs main`, branch: b }));
  return (await session.editor.pick<QuickPickItem & { branch: BranchInfo }>(items, placeHolder))?.branch;
}

/** A deploy request from a tree node or a number argument, else a quick pick among those in `states`. */
export async function chooseDeployRequest(session: Session, arg: unknown, states: readonly DeployRequestState[], placeHolder: string): Promise<DeployRequestInfo | undefined> {
  const number = typeof arg === 'number' ? arg : (arg as Node | undefined)?.deployRequest;
  if (number !== undefined) return session.board.get(number) ?? ({ number } as DeployRequestInfo);
  if (session.board.list().length === 0) await session.refreshDeployRequests();
  const candidates = session.board.list().filter((d) => states.includes(d.state));
  if (candidates.length === 0) {
    await session.editor.info(`No deploy request is ${states.map(stateLabel).join(' or ')}.`);
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const items = candidates.map((d) => ({ label: `#${d.number} ${d.branch}`, description: stateLabel(d.state), dr: d }));
  return (await session.editor.pick<QuickPickItem & { dr: DeployRequestInfo }>(items, placeHolder))?.dr;
}
