/**
 * The contract between `main.ts` and every command in cli/src/commands/.
 * A command gets its own arguments (global flags already removed) and a
 * context; it prints through the context and returns an exit code.
 */
import type { WorkspaceConfig } from '../../engine/src/config/types.js';
import type { ServerTarget } from '../../engine/src/db/target.js';

/** Exit codes CI can rely on. */
export const EXIT_OK = 0;
/** The operation failed, or lint found error-level violations, or a deploy request is not deployable. */
export const EXIT_FAILURE = 1;
/** Bad arguments: unknown command, option or missing operand. */
export const EXIT_USAGE = 2;

export interface CommandContext {
  /** Absolute workspace root: `--dir <path>`, default the current directory. */
  readonly dir: string;
  /** `--url <url>`: the server the user named for this run (wins over schemabranch.json; SCHEMABRANCH_PASSWORD goes only to it). */
  readonly url?: string;
  /** `--json`: print exactly one JSON document on stdout (via `ctx.json`) and nothing else there. */
  readonly jsonOutput: boolean;
  /** A line of human output on stdout (suppressed when --json is set). */
  print(line: string): void;
  /** The JSON document for --json (pretty-printed, one per command run). */
  json(value: unknown): void;
  /** A line on stderr: progress, warnings, hints. Always allowed. */
  warn(line: string): void;
  /** schemabranch.json of the workspace with defaults applied (loaded once; throws a readable error for a bad file). */
  config(): WorkspaceConfig;
  /** The server to use: --url/SCHEMABRANCH_URL with SCHEMABRANCH_PASSWORD, else the configured URL (no environment password), else the embedded sandbox started on demand. */
  server(): Promise<ServerTarget>;
  /** The environment the CLI runs in (tests pass their own). */
  readonly env: NodeJS.ProcessEnv;
  /** True when stderr is a terminal (progress bars may redraw in place). */
  readonly interactive: boolean;
}

export interface Command {
  /** The word after `schemabranch`: 'branch', 'deploy-request', ... */
  name: string;
  /** One line for `schemabranch --help`. */
  summary: string;
  /** The full text for `schemabranch <name> --help`: synopsis, subcommands, options, examples. */
  usage: string;
  /**
   * `args` are everything after the command name, with the global flags
   * (--dir, --url, --json, --help) removed. Throw UsageError for bad arguments
   * (exit 2, usage printed); any other thrown Error prints its message and exits 1.
   */
  run(args: string[], ctx: CommandContext): Promise<number>;
}

/** Bad arguments: main prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {}
