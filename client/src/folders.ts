/**
 * Multi-root workspaces as plain data: which workspace folders get a language
 * server, and which folder a command acts on. Node-only, so node:test checks
 * the routing without VS Code (servedFolders.ts does the VS Code side).
 */
import { relative, sep, isAbsolute } from 'node:path';

/** A workspace folder as the extension keeps it: `uri` is the key (a folder's name need not be unique). */
export interface FolderRef {
  uri: string;
  name: string;
  /** The folder on disk. */
  path: string;
}

/** What a command argument may carry to name its folder (tree rows, page buttons, the status bar). */
export interface FolderScoped {
  folder?: string;
}

/** Whether `file` is `root` or under it (engine/src/config/paths.ts isInside; the client imports no engine code). */
export function contains(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The folder holding a file; the innermost one when folders are nested (its server owns the file). */
export function folderOfPath<F extends FolderRef>(folders: readonly F[], file: string): F | undefined {
  let best: F | undefined;
  for (const f of folders) if (contains(f.path, file) && (!best || f.path.length > best.path.length)) best = f;
  return best;
}

/**
 * The folders to serve: those with a schema (schemabranch.json or the schema
 * folder's main/). With none, every folder is served, as a single folder always
 * was: the welcome view's "Pull Schema from a Database" needs a server, and
 * a server that finds no schema only waits.
 */
export function foldersToServe<F extends FolderRef>(all: readonly F[], hasSchema: (f: F) => boolean): F[] {
  const withSchema = all.filter(hasSchema);
  return withSchema.length ? withSchema : [...all];
}

/** Where a command goes: one folder, a question among several, or nowhere (no folder served). */
export type Route<F> = { kind: 'folder'; folder: F } | { kind: 'ask'; folders: F[] } | { kind: 'none' };

/**
 * The folder a command acts on. A tree row, a page button or the status bar
 * names its folder; a file argument (explorer, editor title) is in one; from
 * the palette, the active editor's file decides; else, with several folders,
 * the user is asked. An argument naming a folder no longer served goes nowhere
 * rather than to another folder's database.
 */
export function routeCommand<F extends FolderRef>(served: readonly F[], arg: unknown, activeFile: string | undefined): Route<F> {
  const named = typeof arg === 'object' && arg !== null && typeof (arg as FolderScoped).folder === 'string' ? (arg as FolderScoped).folder : undefined;
  if (named !== undefined) {
    const f = served.find((s) => s.uri === named);
    return f ? { kind: 'folder', folder: f } : { kind: 'none' };
  }
  const argFile = typeof arg === 'object' && arg !== null && typeof (arg as { fsPath?: unknown }).fsPath === 'string' ? (arg as { fsPath: string }).fsPath : undefined;
  if (argFile !== undefined) {
    const f = folderOfPath(served, argFile);
    return f ? { kind: 'folder', folder: f } : { kind: 'none' };
  }
  if (served.length === 0) return { kind: 'none' };
  if (served.length === 1) return { kind: 'folder', folder: served[0] as F };
  const active = activeFile !== undefined ? folderOfPath(served, activeFile) : undefined;
  if (active) return { kind: 'folder', folder: active };
  return { kind: 'ask', folders: [...served] };
}

/** A deploy request is named by its folder and its number: numbers restart in each folder's database. */
export function requestKey(folder: string, number: number): string {
  return `${folder}#${number}`;
}
