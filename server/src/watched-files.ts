/**
 * Files changing on disk: created, changed, deleted, renamed (a delete plus a
 * create), whole folders appearing or vanishing, schemabranch.json edits and
 * git switching branches (.git/HEAD), each turned into the least work that
 * keeps every branch model current.
 */
import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import { FileChangeType, type FileEvent } from 'vscode-languageserver';
import type { Session } from './session.js';
import { uriToPath, type BranchKey } from './workspace/workspace.js';

export async function applyWatchedFileChanges(session: Session, changes: FileEvent[]): Promise<void> {
  const ws = session.workspace;
  const touched = new Set<BranchKey>();
  let rescan = false;
  for (const change of changes) {
    const path = uriToPath(change.uri);
    if (!path) continue;
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
    if (change.type === FileChangeType.Deleted) {
      const b = ws.docs.has(path) ? ws.removeFromDisk(path) : undefined;
      if (b !== undefined) touched.add(b);
      else for (const folderBranch of ws.removeFolder(path)) touched.add(folderBranch);
      continue;
    }
    let isDir = false;
    try {
      isDir = (await fs.stat(path)).isDirectory();
    } catch {
      continue; // gone again before we looked: a later event will say so
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
