import { changeViolations } from '../change-reasons.js';
import type { LintRule } from '../rule.js';

export const dataDependentChange: LintRule = {
  code: 'data-dependent-change',
  name: 'Data-dependent change',
  description: 'The deploy may fail or alter rows depending on what is stored: a new unique index, NOT NULL, a narrower type, a charset change.',
  defaultSeverity: 'warning',
  scope: 'change',
  lint(ctx) {
    return changeViolations(
      ctx,
      'data-dependent-change',
      'warning',
      'data-dependent',
      (change, reason) =>
        `\`${change.table}\`: ${reason.message} Whether this succeeds depends on the rows stored on the target; check them first (e.g. look for duplicates, NULLs or values that do not fit). ` +
        'The online migration stops without touching the original table if a row is refused.',
    );
  },
};
