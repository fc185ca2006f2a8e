import { parseCommandArgs } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';
import { changeJson, changeLines, plural, workspaceBranches } from '../format.js';

export const diffCommand: Command = {
  name: 'diff',
  summary: "Show the statements that would take main to a branch's schema, each classified by risk",
  usage: `Usage: schemabranch diff <branch> [--json]

Compares schema/<branch>/*.sql with main's database (or main's files, when
main has no database yet) and prints the DDL a deploy request would run, one
statement per changed table, each classified:
  safe            cannot lose or reject existing data
  destructive     drops a table or column
  data-dependent  may fail or change rows depending on what is stored
  needs-decision  ambiguous intent, e.g. a column that looks renamed

Examples:
  schemabranch diff add-order-notes
  schemabranch diff add-order-notes --json | jq '.changes[].class'`,
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, { min: 1, max: 1 });
    const branches = await workspaceBranches(ctx);
    const diff = await branches.diffBranch(positionals[0]);
    ctx.json({ ...diff, changes: diff.changes.map(changeJson) });
    const against = diff.base === 'main-database' ? `main (${ctx.config().database})` : "main's files (main has no database yet)";
    if (diff.changes.length === 0) {
      ctx.print(`Branch ${diff.branch} has no changes against ${against}.`);
      return EXIT_OK;
    }
    ctx.print(`-- ${diff.branch} vs ${against}: ${plural(diff.changes.length, 'statement')}`);
    for (const line of changeLines(diff.changes)) ctx.print(line);
    return EXIT_OK;
  },
};
