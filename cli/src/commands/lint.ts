import { formatProblem, loadBranch } from '../../../engine/src/branch/files.js';
import { MAIN } from '../../../engine/src/branch/names.js';
import { lintConfigOf } from '../../../engine/src/config/lint.js';
import { lintChanges, lintSchema, type Violation } from '../../../engine/src/lint/index.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_FAILURE, EXIT_OK, type Command } from '../command.js';
import { plural, workspaceBranches } from '../format.js';

export const lintCommand: Command = {
  name: 'lint',
  summary: "Check a branch's schema files: parse errors and lint rules (exit 1 on errors)",
  usage: `Usage: schemabranch lint [branch] [--against-main] [--json]

Parses schema/<branch>/*.sql (default branch: main) and runs the lint rules,
with the severities from "lint" in schemabranch.json. Works offline: no server
is needed. Silence a rule for one table with a comment before its CREATE TABLE:
  -- schemabranch:nolint <code>

  --against-main  also run the deploy-time rules on the branch's diff against
                  main (destructive or data-dependent changes); needs the server

Exit code 1 when there is a parse error or an error-level violation, so CI can
gate on it; warnings and infos alone exit 0.

Examples:
  schemabranch lint
  schemabranch lint add-order-notes --json`,
  async run(args, ctx) {
    const { positionals, values } = parseCommandArgs(args, { 'against-main': { type: 'boolean' } }, { max: 1 });
    const name = positionals[0] ?? MAIN;
    const loaded = loadBranch(ctx.dir, ctx.config(), name);
    const sources = Object.fromEntries(loaded.files.map((f) => [f.file, f.text]));
    const config = lintConfigOf(ctx.config());
    const violations = lintSchema(loaded.schema, config, undefined, sources);
    if (values['against-main'] && name !== MAIN && !loaded.problems.some((p) => p.severity === 'error')) {
      const diff = await (await workspaceBranches(ctx)).diffBranch(name);
      violations.push(...lintChanges(diff.changes, config));
    }
    const errors = violations.filter((v) => v.severity === 'error').length + loaded.problems.filter((p) => p.severity === 'error').length;
    const warnings = violations.filter((v) => v.severity === 'warning').length + loaded.problems.filter((p) => p.severity === 'warning').length;
    ctx.json({ branch: name, files: loaded.files.length, tables: loaded.schema.tables.length, ok: errors === 0, errors, warnings, problems: loaded.problems, violations });
    for (const p of loaded.problems) ctx.print(formatProblem(p));
    for (const v of violations) ctx.print(formatViolation(v));
    ctx.print(`${name}: ${plural(loaded.schema.tables.length, 'table')} in ${plural(loaded.files.length, 'file')}; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`);
    return errors > 0 ? EXIT_FAILURE : EXIT_OK;
  },
};

function formatViolation(v: Violation): string {
  const where = v.source ? `${v.source.file}:${v.source.range.start.line + 1}:${v.source.range.start.character + 1}` : v.table ?? '';
  const suggestion = v.suggestion ? `\n    suggestion: ${v.suggestion}` : '';
  return `${where}: ${v.severity}: ${v.message} [${v.code}]${suggestion}`;
}
