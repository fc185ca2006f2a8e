/**
 * main's files follow main's database. When a deploy request cuts over, the
 * deployed branch is merged into main as PlanetScale does: its files are
 * copied onto schema/main/ as written (comments and layout kept) when they
 * describe what main now is, else main's files are pulled from the server in
 * canonical form. main's files from before are kept in .schemabranch/, so a
 * revert puts them back exactly; pulled from the server again if they no
 * longer describe it. Whichever process runs the deploy updates the files,
 * so the editor and the CLI agree.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveInWorkspace } from '../config/paths.js';
import type { WorkspaceConfig } from '../config/types.js';
import type { ServerTarget } from '../db/target.js';
import type { DeployEvents, StateChange } from '../deploy/events.js';
import { Branches } from './branches.js';
import { branchFolder, MAIN } from './names.js';

export type MainFilesUpdate =
  | { action: 'promoted'; from: string; files: string[] }
  | { action: 'restored'; files: string[] }
  | { action: 'pulled'; files: string[] }
  | { action: 'none' };

/** Where main's files from before deploy request `id` are kept for its revert. */
export function mainFilesBackup(root: string, id: number): string {
  // Removed and rewritten on every deploy: a committed link here must not aim that at files outside.
  return resolveInWorkspace(root, join('.schemabranch', 'main-before', String(id)), 'The backup folder of main\'s files', 'Remove the symbolic link .schemabranch (it is a local folder, not part of the repository).');
}

/** Brings schema/main/ in line with main's database after a deploy request changed state. */
export async function updateMainFiles(root: string, config: WorkspaceConfig, target: ServerTarget, change: Pick<StateChange, 'id' | 'previous' | 'state' | 'request'>): Promise<MainFilesUpdate> {
  const branches = new Branches(root, config, target);
  const mainFolder = branchFolder(root, config, MAIN);
  const backup = mainFilesBackup(root, change.id);

  if (change.state === 'complete_pending_revert' && change.previous !== 'in_progress_revert') {
    if (existsSync(mainFolder)) {
      rmSync(backup, { recursive: true, force: true });
      mkdirSync(backup, { recursive: true });
      cpSync(mainFolder, backup, { recursive: true });
    }
    if (await describesMain(branches, change.request.branch)) {
      return { action: 'promoted', from: change.request.branch, files: branches.promoteFiles(change.request.branch).written };
    }
    return { action: 'pulled', files: (await branches.pullBranch(MAIN)).written };
  }

  if (change.state === 'complete_revert') {
    if (existsSync(backup)) {
      rmSync(mainFolder, { recursive: true, force: true });
      cpSync(backup, mainFolder, { recursive: true });
      rmSync(backup, { recursive: true, force: true });
      if (await describesMain(branches, MAIN)) return { action: 'restored', files: [] };
    }
    return { action: 'pulled', files: (await branches.pullBranch(MAIN)).written };
  }

  if (change.state === 'complete' || change.state === 'cancelled' || change.state === 'closed') rmSync(backup, { recursive: true, force: true });
  return { action: 'none' };
}

/** Whether a branch's files parse and diff empty against main's live database. */
async function describesMain(branches: Branches, branch: string): Promise<boolean> {
  try {
    const diff = await branches.diffBranch(branch);
    return diff.base === 'main-database' && diff.changes.length === 0;
  } catch {
    return false;
  }
}

/** The line that tells a user what happened to main's files, if anything did. */
function describeUpdate(update: MainFilesUpdate, id: number): string | undefined {
  switch (update.action) {
    case 'promoted':
      return `schema/main now holds branch ${update.from}'s files (deploy request #${id}).`;
    case 'restored':
      return `schema/main is back to its files from before deploy request #${id}.`;
    case 'pulled':
      return `schema/main was written from main's database (${update.files.length} files) after deploy request #${id}.`;
    case 'none':
      return undefined;
  }
}

/**
 * Keeps main's files in line for every deploy this process runs. `settled()`
 * waits for the updates queued so far; `dispose()` waits for them, then stops
 * listening. Failures are reported, never thrown: the deploy itself has
 * already happened and is the truth.
 */
export function followDeploysInMainFiles(
  root: string,
  config: WorkspaceConfig,
  target: ServerTarget,
  events: DeployEvents,
  report: (line: string, update: MainFilesUpdate) => void | Promise<void>,
): { settled(): Promise<void>; dispose(): Promise<void> } {
  let queue = Promise.resolve();
  const onState = (change: StateChange): void => {
    queue = queue.then(async () => {
      let update: MainFilesUpdate = { action: 'none' };
      let line: string | undefined;
      try {
        update = await updateMainFiles(root, config, target, change);
        line = describeUpdate(update, change.id);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        line = `Could not update schema/main after deploy request #${change.id}: ${why}. Run \`schemabranch branch pull main\` to write it from the database.`;
      }
      if (line) await Promise.resolve(report(line, update)).catch(() => undefined);
    });
  };
  events.on('state', onState);
  return {
    settled: () => queue,
    async dispose() {
      events.off('state', onState);
      await queue;
    },
  };
}
