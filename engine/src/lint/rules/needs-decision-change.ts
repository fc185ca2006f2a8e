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
        `\`${change.table}\`: ${reason.message} Decide before deploying: deployed as written, the old column and its data are dropped. ` +
        'If it is a rename, keep the old column until its data has been copied to the new one; if it really is a drop and an add, confirm with `-- schemabranch:nolint needs-decision-change` on the table.',
    );
  },
};
