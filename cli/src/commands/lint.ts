import { formatProblem, loadBranch } from '../../../engine/src/branch/files.js';
import { MAIN } from '../../../engine/src/branch/names.js';
import { lintConfigOf } from '../../../engine/src/config/lint.js';
import { allRules, lintChanges, lintSchema, type Violation } from '../../../engine/src/lint/index.js';
import { outputFormat, parseCommandArgs } from '../args.js';
import { EXIT_FAILURE, EXIT_OK, type Command } from '../command.js';
import { plural, workspaceBranches } from '../format.js';
import { findingsOf, repositoryPath, repositoryRoot } from '../report/findings.js';
import { annotation } from '../report/github.js';
import { sarifLog } from '../report/sarif.js';

const FORMATS = ['text', 'sarif', 'github'] as const;

export const lintCommand: Command = {
  name: 'lint',
  summary: "Check a branch's schema files: parse errors and lint rules (exit 1 on errors)",
  usage: `Usage: schemabranch lint [branch] [--against-main] [--format text|json|sarif|github] [--json]

Parses schema/<branch>/*.sql (default branch: main) and runs the lint rules,
with the severities from "lint" in schemabranch.json. Works offline: no server
is needed. Silence a rule for one table with a comment before its CREATE TABLE:
  -- schemabranch:nolint <code>

  --against-main  also run the deploy-time rules on the branch's diff against
                  main (destructive or data-dependent changes); needs the server
  --format        text (default); json (the same as --json); sarif (SARIF 2.1.0,
                  for GitHub code scanning); github (workflow commands that
                  annotate the pull request's lines). In sarif and github, file
                  paths are relative to the git repository holding the workspace.

Exit code 1 when there is a parse error or an error-level violation, so CI can
gate on it; warnings and infos alone exit 0. The same in every format.

Examples:
  schemabranch lint
  schemabranch lint add-order-notes --json
  schemabranch lint --format sarif > schemabranch.sarif`,
  async run(args, ctx) {
    const { positionals, values } = parseCommandArgs(args, { 'against-main': { type: 'boolean' }, format: { type: 'string' } }, { max: 1 });
    const format = outputFormat(values.format, FORMATS, ctx.jsonOutput);
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
    const exit = errors > 0 ? EXIT_FAILURE : EXIT_OK;
    const summary = `${name}: ${plural(loaded.schema.tables.length, 'table')} in ${plural(loaded.files.length, 'file')}; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`;
    if (format === 'sarif' || format === 'github') {
      const root = repositoryRoot(ctx.dir);
      const findings = findingsOf(loaded.problems, violations, (file) => repositoryPath(root, ctx.dir, file));
      if (format === 'sarif') ctx.print(JSON.stringify(sarifLog(allRules(), findings), null, 2));
      else {
        for (const f of findings) ctx.print(annotation(f));
        ctx.print(summary);
      }
      return exit;
    }
    ctx.json({ branch: name, files: loaded.files.length, tables: loaded.schema.tables.length, ok: errors === 0, errors, warnings, problems: loaded.problems, violations });
    for (const p of loaded.problems) ctx.print(formatProblem(p));
    for (const v of violations) ctx.print(formatViolation(v));
    ctx.print(summary);
    return exit;
  },
};

function formatViolation(v: Violation): string {
  const where = v.source ? `${v.source.file}:${v.source.range.start.line + 1}:${v.source.range.start.character + 1}` : v.table ?? '';
  const suggestion = v.suggestion ? `\n    suggestion: ${v.suggestion}` : '';
  return `${where}: ${v.severity}: ${v.message} [${v.code}]${suggestion}`;
}
