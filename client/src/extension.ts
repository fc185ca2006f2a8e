import type { ExtensionContext } from 'vscode';
import { registerCommands, type WorkspaceContext } from './commandTable.js';
import { DeployRequestPages } from './deployPagePanel.js';
import { DIFF_SCHEME, DiffDocuments } from './diffPreview.js';
import { Editor } from './editor.js';
import { BranchLanguageStatus } from './languageStatus.js';
import { RevertCountdown } from './revertCountdown.js';
import { busyDeploy, isPasswordSecret } from './passwords.js';
import { ServedFolders } from './servedFolders.js';
import { LANGUAGE_ID } from './session.js';
import { BranchesTree, DeployRequestsTree } from './trees.js';

let served: ServedFolders | undefined;

/**
 * Wires the parts together; each part's lifetime is the extension's. Every
 * workspace folder with a schema gets its own language server (servedFolders.ts
 * says why); the trees, the status bar and the pages show them all.
 */
export async function activate(context: ExtensionContext): Promise<void> {
  const editor = new Editor(context);
  const folders = new ServedFolders(editor);
  served = folders;

  const branches = new BranchesTree(folders);
  const requests = new DeployRequestsTree(folders);
  branches.view = editor.createTreeView('schemabranch.branches', branches);
  requests.view = editor.createTreeView('schemabranch.deployRequests', requests);
  const diffs = new DiffDocuments(folders);
  const refresh = (): void => {
    branches.refresh();
    requests.refresh();
    diffs.refreshAll();
  };
  const updateWelcome = (): Promise<void> => editor.setContext('schemabranch.hasSchemaFolder', folders.anyHasSchema());
  // Creating a branch writes a folder of files at once: one tree refresh for the burst of file events.
  // A schemabranch.json or schema/main/ that appears in a folder also gets that folder served.
  let burst: NodeJS.Timeout | undefined;
  const refreshSoon = (): void => {
    if (burst) clearTimeout(burst);
    burst = setTimeout(() => {
      burst = undefined;
      refresh();
      void updateWelcome();
      void folders.sync();
    }, 250);
  };
  const pages = new DeployRequestPages(editor, folders);
  const ctx: WorkspaceContext = { editor, folders, pages, refresh };
  // The settings of the window: a folder's own schema folder is matched by its language client's selector.
  const schemaFolder = editor.settings().schemaFolder;
  const status = new BranchLanguageStatus(editor, folders, [{ language: LANGUAGE_ID }, { language: 'sql', pattern: `**/${schemaFolder}/**/*.sql` }]);

  context.subscriptions.push(
    branches,
    requests,
    branches.view,
    requests.view,
    diffs,
    pages,
    status,
    editor.registerContentProvider(DIFF_SCHEME, diffs),
    new RevertCountdown(editor.createStatusBarItem('schemabranch.revert', 'Schema Branch revert window'), folders),
    ...registerCommands(ctx),
    folders.onChange((_s, c) => {
      if (c === 'requests') {
        requests.refresh();
        branches.refresh();
      } else if (c === 'state' || c === 'folders') refresh();
    }),
    // File events, not polling: branch folders and table files appear, change and go.
    editor.watch(`**/${schemaFolder}/**`, refreshSoon),
    editor.watch('**/schemabranch.json', refreshSoon),
    { dispose: () => burst && clearTimeout(burst) },
    // Folders added or removed: their servers start or stop; the others keep running.
    editor.onWorkspaceFoldersChanged(() => {
      void folders.sync().then(updateWelcome);
    }),
    // A setting changed: restart the servers of the folders it reaches; which folders have a schema may have changed too.
    editor.onSettingsChanged((affects) => {
      void folders.restartAll((s) => affects(s.folder)).then(() => folders.sync()).then(updateWelcome);
    }),
    // Trust granted: the servers restart with database work allowed and the saved passwords.
    editor.onTrustGranted(() => void folders.restartAll()),
    // A password saved or forgotten (here or in another window): each server gets it at its next start, now unless a deploy runs there.
    editor.onSecretChanged(isPasswordSecret, () => {
      if (editor.isTrusted()) void folders.restartAll((s) => !busyDeploy(s.board.list()));
    }),
    folders,
  );
  await updateWelcome();
  await folders.sync();
}

export async function deactivate(): Promise<void> {
  await served?.stopAll();
}
