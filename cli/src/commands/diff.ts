import { loadBranch } from '../../../engine/src/branch/files.js';
import { lintConfigOf } from '../../../engine/src/config/lint.js';
import { lintDeployRequest } from '../../../engine/src/lint/index.js';
import { outputFormat, parseCommandArgs } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';
import { changeJson, changeLines, plural, workspaceBranches } from '../format.js';
import { diffMarkdown } from '../report/markdown.js';

const FORMATS = ['text', 'markdown'] as const;

export const diffCommand: Command = {
  name: 'diff',
  summary: "Show the statements that would take main to a branch's schema, each classified by risk",
  usage: `Usage: schemabranch diff <branch> [--format text|json|markdown] [--json]

Compares schema/<branch>/*.sql with main's database (or main's files, when
main has no database yet) and prints the DDL a deploy request would run, one
statement per changed table, each classified:
  safe            cannot lose or reject existing data
  destructive     drops a table or column
  data-dependent  may fail or change rows depending on what is stored
  needs-decision  ambiguous intent, e.g. a column that looks renamed

  --format  text (default); json (the same as --json); markdown (a pull-request
            comment: the statements, their classes and the lint verdict a
            deploy request would get)

Examples:
  schemabranch diff add-order-notes
  schemabranch diff add-order-notes --json | jq '.changes[].class'
  schemabranch diff add-order-notes --format markdown > comment.md`,
  async run(args, ctx) {
    const { positionals, values } = parseCommandArgs(args, { format: { type: 'string' } }, { min: 1, max: 1 });
    const format = outputFormat(values.format, FORMATS, ctx.jsonOutput);
    const branches = await workspaceBranches(ctx);
    const diff = await branches.diffBranch(positionals[0]);
    ctx.json({ ...diff, changes: diff.changes.map(changeJson) });
    const against = diff.base === 'main-database' ? `main (${ctx.config().database})` : "main's files (main has no database yet)";
    if (format === 'markdown') {
      const where = diff.base === 'main-database' ? `main (\`${ctx.config().database}\`)` : against;
      const loaded = loadBranch(ctx.dir, ctx.config(), diff.branch);
      const sources = Object.fromEntries(loaded.files.map((f) => [f.file, f.text]));
      const violations = lintDeployRequest(loaded.schema, diff.changes, lintConfigOf(ctx.config()), undefined, sources);
      ctx.print(diffMarkdown({ branch: diff.branch, against: where, changes: diff.changes, violations }));
      return EXIT_OK;
    }
    if (diff.changes.length === 0) {
      ctx.print(`Branch ${diff.branch} has no changes against ${against}.`);
      return EXIT_OK;
    }
    ctx.print(`-- ${diff.branch} vs ${against}: ${plural(diff.changes.length, 'statement')}`);
    for (const line of changeLines(diff.changes)) ctx.print(line);
    return EXIT_OK;
  },
};
