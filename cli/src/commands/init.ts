import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseNameFor } from '../../../engine/src/config/load.js';
import { CONFIG_FILE, DEFAULTS } from '../../../engine/src/config/types.js';
import { parseServerUrl } from '../../../engine/src/db/target.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Command } from '../command.js';
import { tablesAndObjects, workspaceBranches } from '../format.js';

export const initCommand: Command = {
  name: 'init',
  summary: 'Set up a workspace: schemabranch.json and schema/main/, optionally pulled from a live database',
  usage: `Usage: schemabranch init [--database <name>] [--url mysql://user@host:port] [--pull] [--force]

Writes schemabranch.json and creates schema/main/ in the workspace (--dir, default
the current folder).

  --database <name>  main's database (default: the folder's name)
  --url <url>        your own server; without it the embedded sandbox is used.
                     The password is never written: set SCHEMABRANCH_PASSWORD.
  --pull             read the existing database's tables into schema/main/, one file per table
  --force            overwrite an existing schemabranch.json

Examples:
  schemabranch init
  SCHEMABRANCH_PASSWORD=... schemabranch init --url mysql://app@127.0.0.1:3306 --database shop --pull`,
  async run(args, ctx) {
    // --url is a global flag (ctx.url): it also names the server SCHEMABRANCH_PASSWORD may go to for --pull.
    const { values: flags } = parseCommandArgs(args, { database: { type: 'string' }, pull: { type: 'boolean' }, force: { type: 'boolean' } }, { max: 0 });
    const values = { ...flags, url: ctx.url };
    const file = join(ctx.dir, CONFIG_FILE);
    if (existsSync(file) && !values.force) {
      ctx.warn(`${file} already exists; this workspace is initialised. Use --force to overwrite it.`);
      return EXIT_FAILURE;
    }
    const database = values.database ?? databaseNameFor(ctx.dir);
    if (!/^[A-Za-z0-9_$-]{1,48}$/.test(database)) throw new UsageError(`--database ${JSON.stringify(database)}: use 1 to 48 letters, digits, _, $ or -.`);
    if (values.url) parseServerUrl(values.url); // refuses a password in the URL before it is written anywhere
    const config: Record<string, unknown> = { database, schemaDir: DEFAULTS.schemaDir };
    if (values.url) config.connection = { url: values.url };
    mkdirSync(ctx.dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
    const mainDir = join(ctx.dir, DEFAULTS.schemaDir, 'main');
    mkdirSync(mainDir, { recursive: true });
    // The sandbox's data and sockets are machine-local: keep them out of version control.
    mkdirSync(join(ctx.dir, '.schemabranch'), { recursive: true });
    writeFileSync(join(ctx.dir, '.schemabranch', '.gitignore'), '*\n');

    let pulled: string[] = [];
    let counted = '';
    if (values.pull) {
      const branches = await workspaceBranches(ctx);
      const result = await branches.pullBranch('main');
      pulled = result.written;
      counted = tablesAndObjects(result.tables, result.objects);
    }
    ctx.json({ config: file, database, url: values.url, schemaDir: `${DEFAULTS.schemaDir}/main`, pulled });
    ctx.print(`Wrote ${CONFIG_FILE} (main's database: ${database}${values.url ? `, server ${values.url}` : ', embedded sandbox'}).`);
    if (values.pull) ctx.print(`Pulled ${counted} into ${DEFAULTS.schemaDir}/main/.`);
    else ctx.print(`Add CREATE TABLE files to ${DEFAULTS.schemaDir}/main/, then \`schemabranch branch push main\` to load them.`);
    return EXIT_OK;
  },
};
