import { changeViolations } from '../change-reasons.js';
import type { LintRule } from '../rule.js';

export const needsDecisionChange: LintRule = {
  code: 'needs-decision-change',
  name: 'Change that needs a decision',
  description: 'The intent is ambiguous (a column that looks renamed): deployed as written it drops one column and adds another, losing the data.',
  defaultSeverity: 'error',
  scope: 'change',
  lint(ctx) {
    return changeViolations(
      ctx,
      'needs-decision-change',
      'error',
      'needs-decision',
      (change, reason) =>
        `\`${change.table}\`: ${reason.message} Decide before deploying. If it really is a drop and an add, confirm it with ` +
        '`-- schemabranch:nolint needs-decision-change, destructive-change` on the table.',
    );
  },
};
