/**
 * A branch's files on disk and what they parse to. File names in the model
 * and in messages are workspace-relative with forward slashes
 * (`schema/main/users.sql`), so they read the same on every OS and in CI logs.
 */
import { existsSync, mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isSymlink } from '../config/paths.js';
import type { WorkspaceConfig } from '../config/types.js';
import { fileTextProblem, readSchemaFileSync } from '../schema/file-text.js';
import type { ServerVersion } from '../schema/lexer.js';
import { parseSchemaFiles } from '../schema/parse.js';
import type { Schema } from '../schema/model.js';
import type { SchemaProblem } from '../schema/problems.js';
import { branchFolder } from './names.js';

export interface SchemaFile {
  /** Workspace-relative, forward slashes. */
  file: string;
  /** '' when the file could not be read (see `problem`). */
  text: string;
  /** Why the file was not read, or where it is not UTF-8: an error, so the branch is not pushed. */
  problem?: SchemaProblem;
}

export interface LoadedBranch {
  name: string;
  folder: string;
  files: SchemaFile[];
  schema: Schema;
  problems: SchemaProblem[];
}

export class BranchNotFoundError extends Error {}

export class BranchHasProblemsError extends Error {
  constructor(
    readonly branch: string,
    readonly problems: SchemaProblem[],
  ) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(`Branch ${branch} has ${errors.length} problem${errors.length === 1 ? '' : 's'} in its schema files; fix them and try again:\n${errors.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
}

/** `schema/main/users.sql:3:14: error: ...` with 1-based line and column, as terminals and CI annotate. */
export function formatProblem(p: SchemaProblem): string {
  const where = `${p.file}:${p.range.start.line + 1}:${p.range.start.character + 1}`;
  const gap = p.kind === 'unsupported' ? ' (a gap in schemabranch\'s parser, not an error in your SQL)' : '';
  return `${where}: ${p.severity}: ${p.message}${gap} [${p.code}]`;
}

export function readBranchFiles(root: string, config: WorkspaceConfig, name: string): SchemaFile[] {
  const folder = branchFolder(root, config, name);
  if (!existsSync(folder)) throw new BranchNotFoundError(`Branch ${name} has no folder ${relative(root, folder) || folder}. Create it with \`schemabranch branch create ${name}\`, or pull it from a database with \`schemabranch branch pull ${name}\`.`);
  return readSqlFolder(root, folder);
}

/** The .sql files directly in `folder`, in name order, named relative to `root` (a file that cannot be read carries its problem). */
export function readSqlFolder(root: string, folder: string): SchemaFile[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith('.sql'))
    .map((e) => e.name)
    .sort()
    .map((f) => {
      const file = relative(root, join(folder, f)).split(sep).join('/');
      const read = readSchemaFileSync(join(folder, f));
      return { file, text: read.ok ? read.text : '', problem: fileTextProblem(file, read) };
    });
}

/**
 * Reads and parses a branch's files; problems are returned, not thrown. `server` is the
 * server they are for (which executable comments are code); MariaDB 10.11 when not given.
 */
export function loadBranch(root: string, config: WorkspaceConfig, name: string, server?: ServerVersion): LoadedBranch {
  const files = readBranchFiles(root, config, name);
  const { schema, problems } = parseSchemaFiles(files, { server });
  const unread = files.flatMap((f) => (f.problem ? [f.problem] : []));
  return { name, folder: branchFolder(root, config, name), files, schema, problems: [...unread, ...problems] };
}

/** Like loadBranch, but refuses a branch whose files have error-level problems. */
export function loadValidBranch(root: string, config: WorkspaceConfig, name: string, server?: ServerVersion): LoadedBranch {
  const loaded = loadBranch(root, config, name, server);
  if (loaded.problems.some((p) => p.severity === 'error')) throw new BranchHasProblemsError(name, loaded.problems);
  return loaded;
}

/**
 * Makes `folder` hold exactly these .sql files: each is written, and any other
 * .sql file is removed (other files are left alone). A symbolic link is never
 * written through or removed: it could name any file on the machine; it is
 * reported in `skipped` for the caller to say so. Returns absolute paths.
 */
export function replaceSqlFiles(folder: string, files: Array<{ name: string; text: string }>): { written: string[]; removed: string[]; skipped: string[] } {
  mkdirSync(folder, { recursive: true });
  const keep = new Set(files.map((f) => f.name));
  const written: string[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    const path = join(folder, f.name);
    if (isSymlink(path)) skipped.push(path);
    else {
      writeFileSync(path, f.text);
      written.push(path);
    }
  }
  const removed: string[] = [];
  for (const f of readdirSync(folder)) {
    if (!f.toLowerCase().endsWith('.sql') || keep.has(f)) continue;
    const path = join(folder, f);
    if (isSymlink(path)) skipped.push(path);
    else {
      unlinkSync(path);
      removed.push(path);
    }
  }
  return { written, removed, skipped };
}
