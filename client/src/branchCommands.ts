import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { deleteBranchConfirmation, pullConfirmation, pushMainConfirmation } from './confirmText.js';
import type { CommandContext } from './commandTable.js';
import { DIFF_SCHEME, diffUri } from './diffPreview.js';
import { chooseBranch } from './pickers.js';
import { busyDeploy, passphraseQuestion, passwordQuestion } from './passwords.js';
import { ConnectionTargetRequest, CreateBranchRequest, DeleteBranchRequest, PullBranchRequest, PushBranchRequest, type ShowDiffArgs } from './protocol.js';
import { branchNameProblem, databaseNameFor, locateSchemaFile, starterConfig, tableFiles } from './schemaPaths.js';
import { LANGUAGE_ID } from './session.js';

export async function createBranch({ session, editor, refresh }: CommandContext): Promise<void> {
  const name = await editor.ask({ prompt: 'New branch name (a copy of main)', placeHolder: 'feature-x', validateInput: branchNameProblem });
  if (!name) return;
  const b = await session.request(CreateBranchRequest.type, { name, from: 'main' }, 'Create Branch');
  refresh();
  const root = editor.workspaceRoot();
  const first = root ? tableFiles(root, editor.settings().schemaFolder, b.name)[0] : undefined;
  if (root && first) await editor.openDocument(vscode.Uri.file(join(root, b.folder, first)));
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
  const root = editor.workspaceRoot();
  if (!b || !root) return;
  const first = tableFiles(root, editor.settings().schemaFolder, b.name)[0];
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
  if (b.name === 'main' && !(await editor.confirm(pushMainConfirmation(b.database)))) return;
  const r = await session.request(PushBranchRequest.type, { name: b.name }, 'Push Branch');
  refresh();
  void editor.info(r.applied.length ? `Pushed ${b.name}: ran ${r.applied.length} statement${r.applied.length === 1 ? '' : 's'} on ${b.database ?? 'its database'}.` : `${b.name}'s database already matches its files.`);
}

/** The statements document; with a table (from the code lens), also the file diff against main. */
export async function showDiff({ session, editor }: CommandContext, arg: unknown): Promise<void> {
  const args = (arg && typeof arg === 'object' && 'branch' in arg ? arg : undefined) as ShowDiffArgs | undefined;
  const branch = args?.branch ?? (await chooseBranch(session, arg, 'Branch to compare with main', false))?.name;
  if (!branch) return;
  await editor.openDocument(diffUri(branch, args?.base ?? 'main'), LANGUAGE_ID);
}

export async function compareWithMain({ editor }: CommandContext, arg: unknown): Promise<void> {
  const root = editor.workspaceRoot();
  const file = arg instanceof vscode.Uri ? arg : editor.activeFile();
  const folder = editor.settings().schemaFolder;
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
export async function setPassword(ctx: CommandContext): Promise<void> {
  const question = passwordQuestion(await ctx.session.request(ConnectionTargetRequest.type, {}, 'Set Password'));
  await askSecret(ctx, question, (key) => [`Password for ${key} saved in secret storage; it is sent only to that server.`, `Password for ${key} removed from secret storage.`]);
}

/** Asks for the passphrase of the SSH key file the user's settings name; the server restarts with it. */
export async function setSshPassphrase(ctx: CommandContext): Promise<void> {
  await askSecret(ctx, passphraseQuestion(ctx.editor.settings()), () => ['Passphrase saved in secret storage; it only opens that key file.', 'Passphrase removed from secret storage.']);
}

/** Asks a secret's question (or says why there is none), saves the answer under its key (empty: forgets it), and says which it did. */
async function askSecret({ editor, session }: CommandContext, question: { prompt: string; key: string } | { refusal: string }, said: (key: string) => [saved: string, removed: string]): Promise<void> {
  if ('refusal' in question) {
    void editor.info(question.refusal);
    return;
  }
  const value = await editor.ask({ prompt: question.prompt, password: true });
  if (value === undefined) return;
  const busy = busyDeploy(session.board.list());
  await session.savePassword(question.key, value);
  const when = busy ? ` It is used once deploy request #${busy.number} is done and the language server restarts.` : '';
  const [saved, removed] = said(question.key);
  void editor.info(value ? `${saved}${when}` : removed);
}

/** The welcome view's "Initialise": schemabranch.json and an empty schema/main/. */
export async function initialize({ editor, refresh }: CommandContext): Promise<void> {
  const root = editor.workspaceRoot();
  if (!root) return;
  const folder = editor.settings().schemaFolder;
  await editor.writeFile(join(root, 'schemabranch.json'), starterConfig(databaseNameFor(basename(root)), folder));
  await editor.createFolder(join(root, folder, 'main'));
  await editor.setContext('schemabranch.hasSchemaFolder', true);
  refresh();
  await editor.openDocument(vscode.Uri.file(join(root, 'schemabranch.json')));
  void editor.info(`Created schemabranch.json and ${folder}/main/. Add one CREATE TABLE per file, or run "Schema Branch: Pull Schema" to read an existing database.`);
}
