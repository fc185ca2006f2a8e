/**
 * What `lint` found, in one shape for the CI formats (SARIF, GitHub workflow
 * commands): the schema files' own problems and the lint violations, each with
 * its file relative to the repository root, because code scanning and
 * annotations place findings by the path in the repository, not in the
 * schemabranch workspace (which may be a sub-folder, like examples/shop).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Violation } from '../../../engine/src/lint/index.js';
import type { SourceRange } from '../../../engine/src/schema/model.js';
import type { SchemaProblem } from '../../../engine/src/schema/problems.js';

export interface Finding {
  /** A lint rule code, or a schema problem code ('syntax-error', ...). */
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Relative to the repository root, forward slashes. Absent for findings with no place (a dropped table). */
  file?: string;
  range?: SourceRange;
  /** True for a schema file problem (not a lint rule). */
  problem: boolean;
}

/**
 * The nearest folder at or above `dir` holding `.git` (a folder, or a file in a
 * worktree), else `dir`. Only existence is checked: nothing is read or run.
 */
export function repositoryRoot(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return dir;
  }
}

/** A workspace-relative file (as the engine names it) relative to the repository root. */
export function repositoryPath(root: string, workspace: string, file: string): string {
  return relative(root, join(workspace, file)).split(sep).join('/');
}

export function findingsOf(problems: SchemaProblem[], violations: Violation[], path: (file: string) => string): Finding[] {
  return [
    ...problems.map((p): Finding => ({ code: p.code, severity: p.severity, message: p.message, file: path(p.file), range: p.range, problem: true })),
    ...violations.map((v): Finding => ({
      code: v.code,
      severity: v.severity,
      message: v.message,
      ...(v.source ? { file: path(v.source.file), range: v.source.range } : {}),
      problem: false,
    })),
  ];
}
