/**
 * main's files follow main's database. When a deploy request cuts over, only the
 * files of what it changed change: a table the deploy altered takes the deployed
 * branch's file as written (comments and layout kept), a table no file describes
 * is written from the server, and every other file of main stays exactly as the user
 * wrote it. main's files from before are kept in .schemabranch/, so a revert puts them
 * back the same way. Whichever process runs the deploy updates the files, so the
 * editor and the CLI agree.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveInWorkspace } from '../config/paths.js';
import type { WorkspaceConfig } from '../config/types.js';
import type { ServerTarget } from '../db/target.js';
import type { DeployEvents, StateChange } from '../deploy/events.js';
import { reconcileMainFiles, type MainFilesChange } from './main-reconcile.js';
import { branchFolder, MAIN } from './names.js';

export type MainFilesUpdate =
  | ({ action: 'promoted'; from: string } & MainFilesChange)
  | ({ action: 'restored' } & MainFilesChange)
  | { action: 'none' };

/** Where main's files from before deploy request `id` are kept for its revert. */
export function mainFilesBackup(root: string, id: number): string {
  // Removed and rewritten on every deploy: a committed link here must not aim that at files outside.
  return resolveInWorkspace(root, join('.schemabranch', 'main-before', String(id)), 'The backup folder of main\'s files', 'Remove the symbolic link .schemabranch (it is a local folder, not part of the repository).');
}

/** Brings schema/main/ in line with main's database after a deploy request changed state. */
export async function updateMainFiles(root: string, config: WorkspaceConfig, target: ServerTarget, change: Pick<StateChange, 'id' | 'previous' | 'state' | 'request'>): Promise<MainFilesUpdate> {
  const mainFolder = branchFolder(root, config, MAIN);
  const backup = mainFilesBackup(root, change.id);

  if (change.state === 'complete_pending_revert' && change.previous !== 'in_progress_revert') {
    if (existsSync(mainFolder)) {
      rmSync(backup, { recursive: true, force: true });
      mkdirSync(backup, { recursive: true });
      cpSync(mainFolder, backup, { recursive: true });
    }
    const from = change.request.branch;
    return { action: 'promoted', from, ...(await reconcileMainFiles(root, config, target, [branchFolder(root, config, from)])) };
  }

  if (change.state === 'complete_revert') {
    const restored = await reconcileMainFiles(root, config, target, [backup]);
    rmSync(backup, { recursive: true, force: true });
    return { action: 'restored', ...restored };
  }

  if (change.state === 'complete' || change.state === 'cancelled' || change.state === 'closed') rmSync(backup, { recursive: true, force: true });
  return { action: 'none' };
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The line that tells a user what happened to main's files, if anything did. */
function describeUpdate(update: MainFilesUpdate, id: number): string | undefined {
  if (update.action === 'none') return undefined;
  const extra = [
    update.fromServer.length > 0 ? `${plural(update.fromServer.length, 'file')} written from main's database` : '',
    update.removed.length > 0 ? `${plural(update.removed.length, 'file')} removed` : '',
    update.skipped.length > 0 ? `${update.skipped.join(', ')} left alone (symbolic links are never written through; update ${update.skipped.length === 1 ? 'it' : 'them'} by hand)` : '',
  ].filter(Boolean);
  const tail = `${extra.length ? `; ${extra.join(', ')}` : ''}; ${plural(update.kept.length, 'other file')} unchanged`;
  if (update.action === 'promoted') return `schema/main now holds branch ${update.from}'s files for what deploy request #${id} changed (${plural(update.copied.length, 'file')} as written there)${tail}.`;
  return `schema/main is back to its files from before deploy request #${id} (${plural(update.copied.length, 'file')} restored)${tail}.`;
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
