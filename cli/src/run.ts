/**
 * Global flags, command dispatch and error-to-exit-code mapping. Each command
 * lives in commands/<name>.ts and is listed in commands/index.ts.
 */
import { resolve } from 'node:path';
import { loadWorkspaceConfig } from '../../engine/src/config/load.js';
import type { WorkspaceConfig } from '../../engine/src/config/types.js';
import { resolveServer } from '../../engine/src/db/connection.js';
import { showHiddenCharacters } from '../../engine/src/schema/file-text.js';
import type { ServerTarget } from '../../engine/src/db/target.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type Command, type CommandContext } from './command.js';
import { commands } from './commands/index.js';

export interface GlobalFlags {
  dir: string;
  /** `--url`: the server the user names for this run; the only URL SCHEMABRANCH_PASSWORD is sent to (with SCHEMABRANCH_URL). */
  url?: string;
  /** `--ssh ssh://user@bastion:22` and `--ssh-key <file>`: reach the server through an SSH tunnel (engine/src/db/ssh.ts). */
  ssh?: string;
  sshKey?: string;
  json: boolean;
  help: boolean;
  rest: string[];
}

/** Takes --dir, --url, --json (or --format json) and --help out wherever they appear (before `--`), so every command accepts them in any position. */
export function extractGlobalFlags(argv: string[], cwd: string): GlobalFlags {
  const flags: GlobalFlags = { dir: cwd, json: false, help: false, rest: [] };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--') {
      flags.rest.push(...argv.slice(k));
      break;
    }
    if (a === '--json' || a === '--format=json') flags.json = true;
    else if (a === '--format' && argv[k + 1] === 'json') {
      // `--format json` is `--json` for every command; the other formats belong to the commands that have them.
      flags.json = true;
      k++;
    }
    else if (a === '--help' || a === '-h') flags.help = true;
    else if (a === '--dir' || a === '-C') {
      const v = argv[++k];
      if (v === undefined || v.startsWith('-')) throw new UsageError(`${a} needs a folder: ${a} path/to/workspace`);
      flags.dir = resolve(cwd, v);
    } else if (a.startsWith('--dir=')) flags.dir = resolve(cwd, a.slice('--dir='.length));
    else if (a === '--url') {
      const v = argv[++k];
      if (v === undefined || v.startsWith('-')) throw new UsageError('--url needs a server: --url mysql://user@host:3306');
      flags.url = v;
    } else if (a.startsWith('--url=')) flags.url = a.slice('--url='.length);
    else if (a === '--ssh' || a === '--ssh-key') {
      const v = argv[++k];
      if (v === undefined || v.startsWith('-')) throw new UsageError(a === '--ssh' ? '--ssh needs a bastion: --ssh ssh://user@bastion:22' : '--ssh-key needs a private key file: --ssh-key ~/.ssh/id_ed25519');
      if (a === '--ssh') flags.ssh = v;
      else flags.sshKey = resolve(cwd, v);
    } else if (a.startsWith('--ssh=')) flags.ssh = a.slice('--ssh='.length);
    else if (a.startsWith('--ssh-key=')) flags.sshKey = resolve(cwd, a.slice('--ssh-key='.length));
    else flags.rest.push(a);
  }
  return flags;
}

export function overview(list: Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return [
    'schemabranch: database branches, deploy requests and schema revert for MySQL and MariaDB',
    '',
    'Usage: schemabranch <command> [arguments] [--dir <workspace>] [--json]',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global flags:',
    '  --dir, -C <path>  workspace folder (default: the current directory)',
    '  --url <url>       your server for this run (mysql://user@host:3306), instead of schemabranch.json\'s',
    '  --ssh <address>   reach the server through an SSH tunnel (ssh://user@bastion:22; or SCHEMABRANCH_SSH);',
    '                    the key from --ssh-key <file> (or SCHEMABRANCH_SSH_KEY) or your ssh-agent, the',
    '                    key\'s passphrase from SCHEMABRANCH_SSH_PASSPHRASE, the bastion\'s host key from',
    '                    ~/.ssh/known_hosts',
    '  --json            print one JSON document on stdout, for scripts and CI (also: --format json)',
    '  --help, -h        help for schemabranch or for a command',
    '',
    'Exit codes: 0 ok, 1 failure (or lint errors / not deployable), 2 usage error.',
    'The server password comes from SCHEMABRANCH_PASSWORD, never from schemabranch.json, and is',
    'only sent to the URL you give yourself (--url or SCHEMABRANCH_URL), never to one the repository names.',
    'Run `schemabranch <command> --help` for details.',
  ].join('\n');
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  interactive: boolean;
}

/**
 * A writer that goes quiet once its reader is gone: `schemabranch ... | head`
 * closes the pipe early, and the rest of the output has nowhere to go. The
 * command still finishes (a deploy is never cut short by a closed pager) and
 * exits with its normal code instead of dying on an unhandled EPIPE.
 */
export function pipeWriter(stream: NodeJS.WritableStream): (text: string) => void {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

const processIo = (): CliIo => ({
  stdout: pipeWriter(process.stdout),
  stderr: pipeWriter(process.stderr),
  env: process.env,
  cwd: process.cwd(),
  interactive: Boolean(process.stderr.isTTY),
});

export function makeContext(flags: GlobalFlags, io: CliIo): CommandContext {
  let config: WorkspaceConfig | undefined;
  let server: Promise<ServerTarget> | undefined;
  const loadConfig = (): WorkspaceConfig => (config ??= loadWorkspaceConfig(flags.dir));
  // Human output only: --json is for programs, and JSON.stringify escapes control characters itself.
  const warn = (line: string): void => io.stderr(`${showHiddenCharacters(line)}\n`);
  return {
    dir: flags.dir,
    url: flags.url,
    jsonOutput: flags.json,
    env: io.env,
    interactive: io.interactive,
    print: (line) => {
      if (!flags.json) io.stdout(`${showHiddenCharacters(line)}\n`);
    },
    json: (value) => {
      if (flags.json) io.stdout(`${JSON.stringify(value, null, 2)}\n`);
    },
    warn,
    config: loadConfig,
    server: () => (server ??= resolveServer(flags.dir, loadConfig(), { userUrl: flags.url, ssh: flags.ssh, sshKey: flags.sshKey, env: io.env, warn })),
  };
}

export async function runCli(argv: string[], io: CliIo = processIo(), list: Command[] = commands): Promise<number> {
  let flags: GlobalFlags;
  try {
    flags = extractGlobalFlags(argv, io.cwd);
  } catch (err) {
    io.stderr(`schemabranch: ${(err as Error).message}\n`);
    return EXIT_USAGE;
  }
  const [name, ...args] = flags.rest;
  if (!name || name === 'help') {
    const topic = name === 'help' ? list.find((c) => c.name === args[0]) : undefined;
    io.stdout(`${topic ? topic.usage : overview(list)}\n`);
    return flags.help || name === 'help' ? EXIT_OK : EXIT_USAGE;
  }
  const command = list.find((c) => c.name === name);
  if (!command) {
    io.stderr(`schemabranch: unknown command ${JSON.stringify(name)}.\n\n${overview(list)}\n`);
    return EXIT_USAGE;
  }
  if (flags.help) {
    io.stdout(`${command.usage}\n`);
    return EXIT_OK;
  }
  const ctx = makeContext(flags, io);
  try {
    return await command.run(args, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`schemabranch ${command.name}: ${err.message}\n\n${command.usage}\n`);
      return EXIT_USAGE;
    }
    const message = err instanceof Error ? err.message : String(err);
    // With --json, CI still gets a parseable document on stdout saying what went wrong.
    if (flags.json) io.stdout(`${JSON.stringify({ error: { message, kind: err instanceof Error ? err.constructor.name : 'Error' } }, null, 2)}\n`);
    io.stderr(`schemabranch ${command.name}: ${showHiddenCharacters(message)}\n`);
    return EXIT_FAILURE;
  }
}
