import { workspaceSandbox } from '../../../engine/src/db/connection.js';
import { describeTarget } from '../../../engine/src/db/target.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Command } from '../command.js';

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'Start, stop or inspect the embedded local server (used when no connection URL is configured)',
  usage: `Usage: schemabranch sandbox <start|stop|status> [--json]

The sandbox is a private MariaDB/MySQL server the engine runs from the
mariadbd or mysqld binary on this machine (SCHEMABRANCH_MARIADBD, else the
PATH; never a program the repository names), with its data in
<workspace>/.schemabranch/sandbox (connection.sandbox.dir). It listens on a
Unix socket and a free loopback port, user root, no password. Commands that
need a server start it on demand; these subcommands manage it explicitly.

  start    start it (or report the one already running)
  stop     stop it cleanly; the data stays for next time
  status   say whether it runs, and where; exit code 1 when it does not

Examples:
  schemabranch sandbox start
  schemabranch sandbox status --json`,
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, { min: 1, max: 1 });
    const sandbox = workspaceSandbox(ctx.config(), { env: ctx.env, warn: ctx.warn });
    if (ctx.config().connection.url) ctx.warn(`Note: schemabranch.json sets connection.url, so other commands use ${ctx.config().connection.url}, not the sandbox.`);
    switch (positionals[0]) {
      case 'start': {
        const target = await sandbox.start();
        const status = await sandbox.status();
        ctx.json({ running: true, dir: sandbox.dir, target, state: status.running ? status.state : undefined });
        ctx.print(`Sandbox running at ${describeTarget(target)} (port ${target.port}); data in ${sandbox.dir}`);
        return EXIT_OK;
      }
      case 'stop': {
        const stopped = await sandbox.stop();
        ctx.json({ running: false, stopped, dir: sandbox.dir });
        ctx.print(stopped ? 'Sandbox stopped.' : 'The sandbox was not running.');
        return EXIT_OK;
      }
      case 'status': {
        const status = await sandbox.status();
        if (status.running) {
          ctx.json({ running: true, dir: sandbox.dir, target: status.target, state: status.state });
          ctx.print(`Sandbox running at ${describeTarget(status.target)} (port ${status.target.port}, pid ${status.state.pid}, ${status.state.flavor}) since ${status.state.startedAt}`);
          return EXIT_OK;
        }
        ctx.json({ running: false, dir: sandbox.dir, reason: status.reason });
        ctx.print(`Sandbox not running (${status.reason}). Start it with \`schemabranch sandbox start\`.`);
        return EXIT_FAILURE;
      }
      default:
        throw new UsageError(`Unknown sandbox subcommand ${JSON.stringify(positionals[0])}: use start, stop or status.`);
    }
  },
};
