import type { SourceRange, SourceRef } from '../schema/model.js';

/** 'off' only appears in configuration: a violation always has a real severity. */
export type Severity = 'error' | 'warning' | 'info' | 'off';

/** A mechanical fix: text edits the editor (code action) or the CLI (`--fix`) can apply as they are. */
export interface LintFix {
  title: string;
  edits: Array<{ file: string; range: SourceRange; newText: string }>;
}

/**
 * One finding. Maps one to one onto an LSP diagnostic (source.range, severity,
 * message, code -> docs/lint-rules.md#<code>) and onto a CLI line.
 */
export interface Violation {
  code: string;
  severity: Exclude<Severity, 'off'>;
  /** Says what is wrong and how to fix it. */
  message: string;
  /** The concrete replacement, when there is one worth showing (e.g. the DDL to write instead). */
  suggestion?: string;
  table?: string;
  column?: string;
  index?: string;
  /** The view, trigger, routine or event the finding is about (a deploy request's verdict keeps it when the request changes that object). */
  object?: { kind: string; name: string };
  /** The most precise place: the column, index or foreign key, else the table name. Absent for live-only findings. */
  source?: SourceRef;
  fix?: LintFix;
}

export interface LintConfig {
  /** Per-code severity override; 'off' disables the rule. Unknown codes are refused. */
  severity?: Record<string, Severity>;
  /** Allowed character sets, lower case. Default ['utf8mb4', 'binary', 'ascii']. */
  charsets?: string[];
}

export const DEFAULT_CHARSETS: readonly string[] = ['utf8mb4', 'binary', 'ascii'];
