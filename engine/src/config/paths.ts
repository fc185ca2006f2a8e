/**
 * Where a workspace's own folders are allowed to be. A repository is untrusted
 * input: its schemabranch.json must not point the CLI or the editor at files
 * outside it (a `schemaDir` of `../other` would let `branch pull` overwrite
 * them; a `sandbox.dir` of `../victim` would put a server's data there). The
 * CLI and the language server both resolve through here, so an absolute or
 * relative path means the same thing in both.
 */
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export class OutsideWorkspaceError extends Error {}

/** True when `path` is `root` itself or below it (both absolute, normalised). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves `value` (relative to `root`, or absolute) and refuses anything that
 * ends up outside the workspace, also through a symbolic link on the way.
 * `what` names the setting in the message, e.g. `"schemaDir"`.
 */
export function resolveInWorkspace(root: string, value: string, what: string, fix = 'Use a folder inside it.'): string {
  const absRoot = resolve(root);
  const path = resolve(absRoot, value);
  const refuse = (how: string): never => {
    throw new OutsideWorkspaceError(`${what} ${JSON.stringify(value)} ${how} the workspace ${absRoot}; schemabranch only reads and writes inside the workspace it runs in. ${fix}`);
  };
  if (!isInside(absRoot, path)) refuse('is outside');
  const realRoot = realOrSelf(absRoot);
  const real = realOfNearestExisting(path);
  if (real === undefined || !isInside(realRoot, real)) refuse('leads (through a symbolic link) outside');
  return path;
}

/** True when `path` exists and is a symbolic link (the link itself, not what it names). */
export function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The real path of `path`, or of its closest existing ancestor with the rest
 * appended; undefined for a dangling link on the way (creating the folder
 * would follow it to wherever it points).
 */
function realOfNearestExisting(path: string): string | undefined {
  let existing = path;
  while (!existsSync(existing) && !isSymlink(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!existsSync(existing)) return undefined;
  return resolve(realOrSelf(existing), relative(existing, path));
}

/** The folder holding one sub-folder per branch; refused (OutsideWorkspaceError) when outside the workspace. */
export function schemaRootOf(root: string, schemaDir: string): string {
  return resolveInWorkspace(root, schemaDir, 'schemaDir', 'Use a folder inside it, for example "schema".');
}
