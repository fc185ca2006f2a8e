import type { ExtensionContext } from 'vscode';
import { registerCommands, type CommandContext } from './commandTable.js';
import { DeployRequestPages } from './deployPagePanel.js';
import { DeployProgress } from './deployProgress.js';
import { DIFF_SCHEME, DiffDocuments } from './diffPreview.js';
import { Editor } from './editor.js';
import { BranchLanguageStatus } from './languageStatus.js';
import { CancelDeployRequest } from './protocol.js';
import { RevertCountdown } from './revertCountdown.js';
import { hasSchemaFolder } from './schemaPaths.js';
import { busyDeploy, isPasswordSecret } from './passwords.js';
import { LANGUAGE_ID, Session } from './session.js';
import { BranchesTree, DeployRequestsTree } from './trees.js';

let session: Session | undefined;

/** Wires the parts together; each part's lifetime is the extension's (the session owns the server's). */
export async function activate(context: ExtensionContext): Promise<void> {
  const editor = new Editor(context);
  const s = new Session(editor);
  session = s;

  const branches = new BranchesTree(s);
  const requests = new DeployRequestsTree(s);
  branches.view = editor.createTreeView('schemabranch.branches', branches);
  requests.view = editor.createTreeView('schemabranch.deployRequests', requests);
  const diffs = new DiffDocuments(s);
  const progress = new DeployProgress(editor, s.board, async (number) => {
    await s.request(CancelDeployRequest.type, { number }, `Cancel #${number}`);
  });
  const refresh = (): void => {
    branches.refresh();
    requests.refresh();
    diffs.refreshAll();
  };
  // Creating a branch writes a folder of files at once: one tree refresh for the burst of file events.
  let burst: NodeJS.Timeout | undefined;
  const refreshSoon = (): void => {
    if (burst) clearTimeout(burst);
    burst = setTimeout(() => {
      burst = undefined;
      refresh();
      void updateWelcome();
    }, 250);
  };
  const pages = new DeployRequestPages(editor, s);
  const ctx: CommandContext = { session: s, editor, progress, pages, refresh };
  const schemaFolder = (): string => editor.settings().schemaFolder;
  const root = editor.workspaceRoot();
  const updateWelcome = (): Promise<void> => editor.setContext('schemabranch.hasSchemaFolder', !!root && hasSchemaFolder(root, schemaFolder()));
  const status = new BranchLanguageStatus(editor, s.board, () => s.state, [{ language: LANGUAGE_ID }, { language: 'sql', pattern: `**/${schemaFolder()}/**/*.sql` }]);

  s.pushExtensionCleanup(
    branches,
    requests,
    branches.view,
    requests.view,
    diffs,
    pages,
    status,
    editor.registerContentProvider(DIFF_SCHEME, diffs),
    new RevertCountdown(editor.createStatusBarItem('schemabranch.revert', 'Schema Branch revert window'), s.board),
    ...registerCommands(ctx),
    s.board.onChange((c) => {
      if (c === 'requests') {
        requests.refresh();
        branches.refresh();
      }
    }),
    s.onStateChange(() => {
      status.refresh();
      refresh();
    }),
    // File events, not polling: branch folders and table files appear, change and go.
    editor.watch(`**/${schemaFolder()}/**`, refreshSoon),
    { dispose: () => burst && clearTimeout(burst) },
    editor.onSettingsChanged(() => void s.restart()),
    // Trust granted: the server restarts with database work allowed and the saved passwords.
    editor.onTrustGranted(() => void s.restart()),
    // A password saved or forgotten (here or in another window): the server gets it at its next start, now unless a deploy runs.
    editor.onSecretChanged(isPasswordSecret, () => {
      if (editor.isTrusted() && !busyDeploy(s.board.list())) void s.restart();
    }),
    { dispose: () => void s.stop() },
  );
  await updateWelcome();
  await s.start();
}

export async function deactivate(): Promise<void> {
  await session?.stop();
}
