import { MAIN } from '../../../engine/src/branch/names.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_OK, UsageError, type Command, type CommandContext } from '../command.js';
import { changeJson, changeLines, plural, tablesAndObjects, workspaceBranches } from '../format.js';

const usage = `Usage: schemabranch branch <subcommand> [arguments] [--json]

A branch is schema/<branch>/*.sql plus its own database on the server
(main -> the configured database; <branch> -> <database>__<branch>).
Development branches take direct DDL; main changes only through deploy requests.

Subcommands:
  create <branch> [--from main]   copy main's files to schema/<branch>/ and load them into a new database
  list                            branches, whether their folder and database exist, changes vs main
  delete <branch> [--keep-files]  drop the branch's database and remove its folder (never main)
  push <branch> [--dry-run]       make the branch's database match its files (main: only the first load);
                                  prints every statement in full (--dry-run: sends none)
  pull <branch>                   write the branch database's tables into schema/<branch>/, one file per table

Examples:
  schemabranch branch create add-order-notes
  schemabranch branch push add-order-notes --dry-run
  schemabranch branch list --json`;

export const branchCommand: Command = {
  name: 'branch',
  summary: 'Create, list, delete, push or pull database branches',
  usage,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'create':
        return create(rest, ctx);
      case 'list':
        return list(rest, ctx);
      case 'delete':
        return remove(rest, ctx);
      case 'push':
        return push(rest, ctx);
      case 'pull':
        return pull(rest, ctx);
      case undefined:
        throw new UsageError('Missing subcommand: create, list, delete, push or pull.');
      default:
        throw new UsageError(`Unknown branch subcommand ${JSON.stringify(sub)}: use create, list, delete, push or pull.`);
    }
  },
};

async function create(args: string[], ctx: CommandContext): Promise<number> {
  const { positionals, values } = parseCommandArgs(args, { from: { type: 'string' } }, { min: 1, max: 1 });
  const name = positionals[0];
  const branches = await workspaceBranches(ctx);
  const result = await branches.createBranch(name, { from: values.from ?? MAIN });
  // Foreign keys that close a cycle come as ALTER statements after the CREATEs: count tables, not statements.
  const tables = result.changes.filter((c) => c.kind === 'create_table').length;
  const objects = result.changes.filter((c) => c.kind === 'create_object').length;
  ctx.json({ branch: name, database: result.database, folder: `${ctx.config().schemaDir}/${name}`, tables, ...(objects > 0 ? { objects } : {}) });
  const made = tablesAndObjects(tables, objects);
  ctx.print(`Created branch ${name}: ${ctx.config().schemaDir}/${name}/ and database ${result.database} (${made}).`);
  ctx.print(`Edit its files, then \`schemabranch branch push ${name}\` and \`schemabranch deploy-request create ${name}\`.`);
  return EXIT_OK;
}

async function list(args: string[], ctx: CommandContext): Promise<number> {
  parseCommandArgs(args, {}, { max: 0 });
  const branches = await workspaceBranches(ctx);
  const rows = await branches.listBranches();
  ctx.json(rows);
  const width = Math.max(6, ...rows.map((r) => r.name.length));
  ctx.print(`${'BRANCH'.padEnd(width)}  ${'DATABASE'.padEnd(24)}  FILES  DB   CHANGES`);
  for (const r of rows) {
    const changes = r.problems ? `${plural(r.problems, 'problem')}` : r.changes === null ? '-' : String(r.changes);
    ctx.print(`${r.name.padEnd(width)}  ${r.database.padEnd(24)}  ${(r.folderExists ? 'yes' : 'no').padEnd(5)}  ${(r.databaseExists ? 'yes' : 'no').padEnd(3)}  ${changes}`);
  }
  return EXIT_OK;
}

async function remove(args: string[], ctx: CommandContext): Promise<number> {
  const { positionals, values } = parseCommandArgs(args, { 'keep-files': { type: 'boolean' } }, { min: 1, max: 1 });
  const branches = await workspaceBranches(ctx);
  const result = await branches.deleteBranch(positionals[0], { keepFiles: values['keep-files'] });
  ctx.json(result);
  ctx.print(`Deleted branch ${result.branch}${result.droppedDatabase ? ` (dropped ${branches.databaseOf(result.branch)})` : ''}${result.removedFolder ? ', removed its folder' : ''}.`);
  return EXIT_OK;
}

async function push(args: string[], ctx: CommandContext): Promise<number> {
  const { positionals, values } = parseCommandArgs(args, { 'dry-run': { type: 'boolean' } }, { min: 1, max: 1 });
  const branches = await workspaceBranches(ctx);
  const dryRun = values['dry-run'] ?? false;
  const result = await branches.pushBranch(positionals[0], { dryRun });
  ctx.json({ ...result, dryRun, changes: result.changes.map(changeJson) });
  const count = result.changes.length + (result.createDatabase === undefined ? 0 : 1);
  if (count === 0) {
    ctx.print(`Branch ${result.branch} is up to date with its files (${result.database}).`);
    return EXIT_OK;
  }
  ctx.print(`${dryRun ? 'Would apply' : 'Applied'} ${plural(count, 'statement')} to ${result.database}${result.bootstrap ? ' (first load of main)' : ''}:`);
  if (result.createDatabase !== undefined) ctx.print(`${result.createDatabase};`);
  for (const line of changeLines(result.changes)) ctx.print(line);
  return EXIT_OK;
}

async function pull(args: string[], ctx: CommandContext): Promise<number> {
  const { positionals } = parseCommandArgs(args, {}, { min: 1, max: 1 });
  const branches = await workspaceBranches(ctx);
  const result = await branches.pullBranch(positionals[0]);
  ctx.json(result);
  ctx.print(`Pulled ${tablesAndObjects(result.tables, result.objects)} from ${result.database} into ${ctx.config().schemaDir}/${result.branch}/.`);
  for (const f of result.removed) ctx.print(`  removed ${f} (no such table in the database)`);
  for (const f of result.skipped) ctx.warn(`  skipped ${f}: it is a symbolic link, and schemabranch never writes through or deletes links; replace it with a regular file and pull again`);
  return EXIT_OK;
}
