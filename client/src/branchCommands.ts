import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { deleteBranchConfirmation, pullConfirmation, pushConfirmation } from './confirmText.js';
import type { CommandContext, WorkspaceContext } from './commandTable.js';
import { DIFF_SCHEME, diffUri, planUri } from './diffPreview.js';
import { chooseBranch } from './pickers.js';
import { busyDeploy, passphraseQuestion, passwordQuestion } from './passwords.js';
import { ConnectionTargetRequest, CreateBranchRequest, DeleteBranchRequest, PullBranchRequest, PushBranchRequest, type ShowDiffArgs } from './protocol.js';
import { branchNameProblem, databaseNameFor, locateSchemaFile, starterConfig, tableFiles } from './schemaPaths.js';
import { folderOfPath, type FolderRef } from './folders.js';
import { LANGUAGE_ID, savePassword } from './session.js';

export async function createBranch({ session, editor, refresh }: CommandContext): Promise<void> {
  const name = await editor.ask({ prompt: 'New branch name (a copy of main)', placeHolder: 'feature-x', validateInput: branchNameProblem });
  if (!name) return;
  const b = await session.request(CreateBranchRequest.type, { name, from: 'main' }, 'Create Branch');
  refresh();
  const first = tableFiles(session.root, session.settings().schemaFolder, b.name)[0];
  if (first) await editor.openDocument(vscode.Uri.file(join(session.root, b.folder, first)));
  void editor.info(`Created branch ${b.name}: ${b.folder}/ (${b.files} tables)${b.database ? ` and database ${b.database}` : ''}.`);
}

export async function deleteBranch({ session, editor, refresh }: CommandContext, arg: unknown): Promise<void> {
  const b = await chooseBranch(session, arg, 'Branch to delete', false);
  if (!b) return;
  if (!(await editor.confirm(deleteBranchConfirmation(b.name, b.folder, b.database, b.deployRequest)))) return;
  const r = await session.request(DeleteBranchRequest.type, { name: b.name }, 'Delete Branch');
  refresh();
  void editor.info(`Deleted branch ${r.deleted}.`);
}

/** Makes a branch the one you work on: opens its first table and shows its folder. */
export async function switchBranch({ session, editor }: CommandContext, arg: unknown): Promise<void> {
  const b = await chooseBranch(session, arg, 'Branch to work on', true);
  if (!b) return;
  const root = session.root;
  const first = tableFiles(root, session.settings().schemaFolder, b.name)[0];
  if (first) await editor.openDocument(vscode.Uri.file(join(root, b.folder, first)));
  await editor.revealInExplorer(vscode.Uri.file(join(root, b.folder)));
}

export async function pullSchema({ session, editor, refresh }: CommandContext, arg: unknown): Promise<void> {
  const b = await chooseBranch(session, arg, 'Branch whose files to write from its database', true);
  if (!b) return;
  if (b.files > 0 && !(await editor.confirm(pullConfirmation(b.name, b.folder)))) return;
  const r = await session.request(PullBranchRequest.type, { name: b.name }, 'Pull Schema');
  refresh();
  void editor.info(`Pulled ${b.name}: wrote ${r.applied.length} file${r.applied.length === 1 ? '' : 's'} in ${b.folder}.`);
}

export async function pushBranch({ session, editor, refresh }: CommandContext, arg: unknown): Promise<void> {
  const b = await chooseBranch(session, arg, 'Branch whose database to update from its files', true);
  if (!b) return;
  // The statements come first, in full, in a document of their own: the push then runs exactly those or none.
  const plan = (await session.request(PushBranchRequest.type, { name: b.name, dryRun: true }, 'Push Branch')).applied;
  if (plan.length === 0) {
    void editor.info(`${b.name}'s database already matches its files.`);
    return;
  }
  await editor.openDocument(planUri(b.name, plan), LANGUAGE_ID);
  if (!(await editor.confirm(pushConfirmation(b.name, b.database, plan.length)))) return;
  const r = await session.request(PushBranchRequest.type, { name: b.name, expect: plan }, 'Push Branch');
  refresh();
  void editor.info(r.applied.length ? `Pushed ${b.name}: ran ${r.applied.length} statement${r.applied.length === 1 ? '' : 's'} on ${b.database ?? 'its database'}.` : `${b.name}'s database already matches its files.`);
}

/** The statements document; with a table (from the code lens), also the file diff against main. */
export async function showDiff({ session, editor }: CommandContext, arg: unknown): Promise<void> {
  const args = (arg && typeof arg === 'object' && 'branch' in arg ? arg : undefined) as ShowDiffArgs | undefined;
  const branch = args?.branch ?? (await chooseBranch(session, arg, 'Branch to compare with main', false))?.name;
  if (!branch) return;
  await editor.openDocument(diffUri(branch, args?.base ?? 'main', session.folder.uri), LANGUAGE_ID);
}

/** The file's own folder decides (whichever folder the file is in), so this needs no folder pick. */
export async function compareWithMain({ editor, folders }: WorkspaceContext, arg: unknown): Promise<void> {
  const file = arg instanceof vscode.Uri ? arg : editor.activeFile();
  const session = file ? folders.forFile(file.fsPath) : undefined;
  const root = session?.root;
  const folder = session?.settings().schemaFolder ?? editor.settings().schemaFolder;
  const where = root && file ? locateSchemaFile(root, folder, file.fsPath) : undefined;
  if (!root || !file || !where) {
    void editor.info('Open a table file of a branch (schema/<branch>/<table>.sql) to compare it with main.');
    return;
  }
  const mainFile = vscode.Uri.file(join(root, folder, 'main', basename(file.fsPath)));
  const left = tableFiles(root, folder, 'main').includes(basename(file.fsPath)) ? mainFile : vscode.Uri.from({ scheme: DIFF_SCHEME, path: '/empty.sql', query: 'empty=1' });
  await editor.openDiff(left, file, `${where.table}: main ↔ ${where.branch}`);
}

/** Asks for the password of the server this workspace names, naming it, and binds the password to it. */
export async function setPassword({ editor, session }: CommandContext): Promise<void> {
  const question = passwordQuestion(await session.request(ConnectionTargetRequest.type, {}, 'Set Password'));
  await askSecret(editor, question, session.board.list(), (key) => [`Password for ${key} saved in secret storage; it is sent only to that server.`, `Password for ${key} removed from secret storage.`]);
}

/** Asks for the passphrase of the SSH key file the user's settings name; the server restarts with it. */
export async function setSshPassphrase({ editor, folders }: WorkspaceContext): Promise<void> {
  // The key file is a user setting (machine scope), the same for every folder.
  const question = passphraseQuestion(editor.settings());
  await askSecret(editor, question, folders.list().flatMap((s) => s.board.list()), () => ['Passphrase saved in secret storage; it only opens that key file.', 'Passphrase removed from secret storage.']);
}

/** Asks a secret's question (or says why there is none), saves the answer under its key (empty: forgets it), and says which it did. */
async function askSecret(
  editor: CommandContext['editor'],
  question: { prompt: string; key: string } | { refusal: string },
  requests: Parameters<typeof busyDeploy>[0],
  said: (key: string) => [saved: string, removed: string],
): Promise<void> {
  if ('refusal' in question) {
    void editor.info(question.refusal);
    return;
  }
  const value = await editor.ask({ prompt: question.prompt, password: true });
  if (value === undefined) return;
  const busy = busyDeploy(requests);
  await savePassword(editor, question.key, value);
  const when = busy ? ` It is used once deploy request #${busy.number} is done and the language server restarts.` : '';
  const [saved, removed] = said(question.key);
  void editor.info(value ? `${saved}${when}` : removed);
}

/**
 * The folder to initialise: the one a failure named, the active file's, the
 * only one, else the user's pick among the folders without a schema yet (all
 * of them when each has one).
 */
async function folderToInitialise({ editor, folders }: WorkspaceContext, arg: unknown): Promise<FolderRef | undefined> {
  const all = editor.workspaceFolders();
  const named = (arg as { folder?: unknown } | undefined)?.folder;
  if (typeof named === 'string') return all.find((f) => f.uri === named);
  if (all.length <= 1) return all[0];
  const file = editor.activeFile();
  const active = file ? folderOfPath(all, file.fsPath) : undefined;
  if (active) return active;
  const bare = all.filter((f) => !folders.hasSchema(f));
  return folders.pickFolder(bare.length ? bare : all, 'Initialise Schema Folder');
}

/** The welcome view's "Initialise": schemabranch.json and an empty schema/main/ in one folder, which is then served. */
export async function initialize(ctx: WorkspaceContext, arg: unknown): Promise<void> {
  const { editor, folders, refresh } = ctx;
  const target = await folderToInitialise(ctx, arg);
  if (!target) return;
  const root = target.path;
  const folder = editor.settings(target).schemaFolder;
  await editor.writeFile(join(root, 'schemabranch.json'), starterConfig(databaseNameFor(basename(root)), folder));
  await editor.createFolder(join(root, folder, 'main'));
  await editor.setContext('schemabranch.hasSchemaFolder', true);
  await folders.sync();
  refresh();
  await editor.openDocument(vscode.Uri.file(join(root, 'schemabranch.json')));
  void editor.info(`Created schemabranch.json and ${folder}/main/${folders.multiple ? ` in ${target.name}` : ''}. Add one CREATE TABLE per file, or run "Schema Branch: Pull Schema" to read an existing database.`);
}
