import type { SchemaChange } from '../diff/change.js';
import type { Schema } from '../schema/model.js';
import type { LintConfig, Severity, Violation } from './violation.js';

/** Live counters read from the server (information_schema.TABLES), keyed by table name. */
export type LiveStats = Record<string, { autoIncrement?: number; rows?: number }>;

/**
 * The text of each schema file, keyed by SourceRef.file. Optional: with it,
 * rules can offer fixes that touch a single token (a charset name, a type);
 * without it they still report, with fewer fixes.
 */
export type SourceTexts = Record<string, string>;

export interface LintContext {
  schema?: Schema;
  changes?: SchemaChange[];
  config: LintConfig;
  liveStats?: LiveStats;
  sources?: SourceTexts;
  /**
   * Lower-case names of every table and view of the branch, when `schema` is only a part
   * of it (the editor lints one file at a time): what object rules look table names up in.
   */
  branchNames?: ReadonlySet<string>;
}

export interface LintRule {
  /** Stable kebab-case code; also the anchor in docs/lint-rules.md. */
  code: string;
  name: string;
  description: string;
  defaultSeverity: Severity;
  /** 'schema' rules read ctx.schema; 'change' rules read ctx.changes (deploy time). */
  scope: 'schema' | 'change';
  /** Violations carry defaultSeverity; lintSchema/lintChanges apply overrides and nolint. */
  lint(ctx: LintContext): Violation[];
}
