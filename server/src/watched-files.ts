/**
 * Files changing on disk: created, changed, deleted, renamed (a delete plus a
 * create), whole folders appearing or vanishing, schemabranch.json edits and
 * git switching branches (.git/HEAD), each turned into the least work that
 * keeps every branch model current.
 */
import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import type { FileEvent } from 'vscode-languageserver';
import { isInside } from '../../engine/src/config/paths.js';
import type { Session } from './session.js';
import { existsOnDisk, uriToPath, type BranchKey } from './workspace/workspace.js';

/** Each session's batches, one after another: two batches read at once could land in either order. */
const queues = new WeakMap<Session, Promise<void>>();

/**
 * Applies a batch of file events. An event only says where to look: what is on disk when
 * we look is what the model takes. A folder rewritten by removing and copying files
 * reports a delete after the file is back, or a create after it is gone again; trusting
 * the kind left tables missing (or files "unreadable") until the next event.
 */
export function applyWatchedFileChanges(session: Session, changes: FileEvent[]): Promise<void> {
  const next = (queues.get(session) ?? Promise.resolve()).then(() => applyBatch(session, changes));
  queues.set(session, next.catch(() => undefined));
  return next;
}

async function applyBatch(session: Session, changes: FileEvent[]): Promise<void> {
  const ws = session.workspace;
  const touched = new Set<BranchKey>();
  let rescan = false;
  // One look per path, however many events it had.
  // Only this server's folder: in a multi-root workspace the editor's watchers (registered for `**/*.sql`, `**/.git/HEAD`)
  // report every folder's files, and another folder's checkout or schemabranch.json is no reason to rescan this one.
  const paths = new Set(changes.map((c) => uriToPath(c.uri)).filter((p): p is string => p !== undefined && isInside(session.root, p)));
  for (const path of paths) {
    const name = basename(path);
    if (name === 'schemabranch.json') {
      if (session.loadConfig()) rescan = true;
      else session.invalidateAll();
      continue;
    }
    // A checkout rewrites any number of files at once; the watcher may not report them all.
    if (name === 'HEAD' && basename(path.slice(0, -name.length - 1)) === '.git') {
      rescan = true;
      continue;
    }
    let isDir = false;
    try {
      isDir = (await fs.stat(path)).isDirectory();
    } catch {
      // Not there now (a link to nothing counts as gone): the file, or a whole folder, left.
      if (await existsOnDisk(path)) isDir = false;
      else {
        const b = ws.docs.has(path) ? ws.removeFromDisk(path) : undefined;
        if (b !== undefined) touched.add(b);
        else for (const folderBranch of ws.removeFolder(path)) touched.add(folderBranch);
        continue;
      }
    }
    if (isDir) rescan = true;
    else if (name.toLowerCase().endsWith('.sql')) {
      const b = await ws.loadFromDisk(path);
      if (b !== undefined) touched.add(b);
    }
  }
  if (rescan) return session.rescan();
  for (const b of touched) session.invalidate(b);
}
