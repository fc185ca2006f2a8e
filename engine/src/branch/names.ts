import { join } from 'node:path';
import { resolveInWorkspace, schemaRootOf } from '../config/paths.js';
import type { WorkspaceConfig } from '../config/types.js';

export const MAIN = 'main';

/** Branch databases are `<database>__<branch>`; MySQL names stop at 64 characters. */
const SEPARATOR = '__';
const MAX_DATABASE = 64;

export class BranchNameError extends Error {}

/**
 * A branch name is a folder name and part of a database name, so it is kept
 * to what is safe for both on every OS: lower-case letters, digits, - and _,
 * starting with a letter or digit.
 */
export function validateBranchName(name: string, config?: WorkspaceConfig): void {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
    throw new BranchNameError(
      `${JSON.stringify(name)} is not a valid branch name. Use lower-case letters, digits, "-" and "_", starting with a letter or digit (for example "add-orders-index").`,
    );
  }
  if (name.includes(SEPARATOR)) throw new BranchNameError(`${JSON.stringify(name)} is not a valid branch name: "__" separates the database from the branch in database names. Use a single "_" or "-".`);
  if (config && name !== MAIN) {
    const room = MAX_DATABASE - config.database.length - SEPARATOR.length;
    if (name.length > room) {
      throw new BranchNameError(`The branch name ${JSON.stringify(name)} is too long: its database ${config.database}${SEPARATOR}${name} would exceed MySQL's 64 characters. Use at most ${room} characters.`);
    }
  }
}

/** main -> config.database; others -> `<database>__<branch>`. */
export function branchDatabase(config: WorkspaceConfig, name: string): string {
  validateBranchName(name, config);
  return name === MAIN ? config.database : `${config.database}${SEPARATOR}${name}`;
}

/**
 * Absolute path of the branch's folder of .sql files. Refused when it is (or
 * leads through a symbolic link) outside the workspace, so `branch pull` and
 * `branch delete` never write or delete anywhere else.
 */
export function branchFolder(root: string, config: WorkspaceConfig, name: string): string {
  validateBranchName(name, config);
  schemaRootOf(root, config.schemaDir);
  return resolveInWorkspace(root, join(config.schemaDir, name), `The folder of branch ${name}`, 'Replace the symbolic link with a real folder.');
}

/** A table's file name: the table name, with characters that are unsafe in file names replaced. */
export function tableFileName(table: string): string {
  return `${table.replace(/[/\\:*?"<>|\0]/g, '_')}.sql`;
}
