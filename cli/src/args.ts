import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs in strict mode, with its errors turned into UsageError
 * (exit code 2) so a typo in a flag never runs a command with defaults.
 */
export function parseCommandArgs<T extends Options>(args: string[], options: T, positionals: { min?: number; max?: number } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.replace(/\. To specify a positional argument.*$/s, '.') : String(err));
  }
  const { min = 0, max = Infinity } = positionals;
  if (parsed.positionals.length < min) throw new UsageError(`Missing argument: expected at least ${min}, got ${parsed.positionals.length}.`);
  if (parsed.positionals.length > max) throw new UsageError(`Unexpected argument ${JSON.stringify(parsed.positionals[max])}.`);
  return parsed;
}

/**
 * The `--format` a command prints in: one of `formats` (the first is the
 * default). `--json` (or `--format json`, which the global flags turn into it)
 * cannot be combined with another format.
 */
export function outputFormat<F extends string>(value: string | undefined, formats: readonly F[], json: boolean): F | 'json' {
  if (value !== undefined && !formats.includes(value as F)) {
    throw new UsageError(`Unknown --format ${JSON.stringify(value)}: use one of ${[...formats, 'json'].join(', ')}.`);
  }
  if (json) {
    if (value !== undefined && value !== formats[0]) throw new UsageError(`--json and --format ${value} are two outputs: choose one.`);
    return 'json';
  }
  return (value as F | undefined) ?? formats[0];
}
