import type { SourceRange } from './model.js';

/**
 * Something wrong (or not understood) in a schema file.
 * - 'syntax': the user's error; the message names line/column and what was expected.
 * - 'unsupported': valid MySQL/MariaDB DDL that schemabranch's parser cannot read (a gap in
 *   schemabranch, not the user's mistake).
 * - 'semantic': well-formed SQL that does not belong in a schema branch (a table defined
 *   twice, a statement that is not CREATE TABLE, ...).
 */
export interface SchemaProblem {
  file: string;
  range: SourceRange;
  message: string;
  kind: 'syntax' | 'unsupported' | 'semantic';
  /** Stable identifier, e.g. 'syntax-error', 'unterminated-string', 'unsupported-partition', 'duplicate-table'. */
  code: string;
  severity: 'error' | 'warning';
  /** For syntax errors: the tokens the parser would have accepted at that point. */
  expected?: string[];
}
