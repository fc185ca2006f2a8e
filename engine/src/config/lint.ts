import type { LintConfig } from '../lint/violation.js';
import type { WorkspaceConfig } from './types.js';

/** The lint engine's settings from the workspace's: an empty charsets list means the rule's own default. */
export function lintConfigOf(config: WorkspaceConfig): LintConfig {
  return { severity: { ...config.lint.severity }, charsets: config.lint.charsets.length ? config.lint.charsets.map((c) => c.toLowerCase()) : undefined };
}
