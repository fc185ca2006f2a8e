import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import configSchema from '../../../docs/schemabranch.schema.json';
import { JsonSyntaxError, parseLocatedJson, type JsonValue, type LocatedJson } from './json.js';
import { OutsideWorkspaceError, resolveInWorkspace } from './paths.js';
import { CONFIG_FILE, DEFAULTS, type LintSeverity, type WorkspaceConfig } from './types.js';
import { validateJson, type SchemaNode } from './validate.js';

/** One thing wrong with schemabranch.json, located for an editor diagnostic or a terminal. */
export interface ConfigProblem {
  /** Field path, e.g. 'connection.url'; '' for the file as a whole or a syntax error. */
  path: string;
  message: string;
  /** 1-based; absent when the problem has no single place. */
  line?: number;
  column?: number;
}

export class WorkspaceConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    const lines = problems.map((p) => `  ${file}${p.line ? `:${p.line}:${p.column}` : ''}: ${p.message}`);
    super(`${file} is not a valid schemabranch configuration:\n${lines.join('\n')}\nFix the file and run the command again; VS Code with the Schema Branch extension checks it as you type.`);
  }
}

/**
 * Reads `<root>/schemabranch.json` with every default applied. A missing file
 * means all defaults, with main's database named after the workspace folder.
 * Throws WorkspaceConfigError (file, line, column, field path) for a bad file.
 */
export function loadWorkspaceConfig(root: string): WorkspaceConfig {
  const absRoot = resolve(root);
  const file = join(absRoot, CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return buildConfig({}, absRoot);
    throw new WorkspaceConfigError(file, [{ path: '', message: `Cannot read the file: ${(err as Error).message}` }]);
  }
  return parseWorkspaceConfig(text, absRoot, file);
}

/** The pure part of loadWorkspaceConfig, for editors that hold unsaved text. */
export function parseWorkspaceConfig(text: string, root: string, file = join(root, CONFIG_FILE)): WorkspaceConfig {
  const problems = checkWorkspaceConfig(text, root);
  if (problems.length) throw new WorkspaceConfigError(file, problems);
  const config = buildConfig(JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, JsonValue>, resolve(root));
  config.file = file;
  return config;
}

/**
 * Every problem in the text, located; empty when the file is valid. With the
 * workspace root, the folders it names are also checked to be inside it.
 */
export function checkWorkspaceConfig(text: string, root?: string): ConfigProblem[] {
  if (text.trim() === '') return [{ path: '', message: 'The file is empty. Write {} for all defaults.', line: 1, column: 1 }];
  let located;
  try {
    located = parseLocatedJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return [{ path: '', message: `JSON syntax error: ${err.reason}.`, ...err.position }];
    throw err;
  }
  const problems = validateJson(located.value, configSchema as SchemaNode).map((p) => {
    const at = (p.atKey ? located.keyPositions.get(p.path) : undefined) ?? located.positions.get(p.path);
    return { path: p.path, message: p.path && !p.atKey && !p.message.startsWith(p.path) ? `${p.path}: ${p.message}` : p.message, ...at };
  });
  return problems.length ? problems : trustProblems(located, root);
}

/** The server binary is the user's choice, never the repository's: where to set it instead. */
export const SANDBOX_BINARY_REFUSED =
  'connection.sandbox.binary is not read from schemabranch.json: a repository must not name a program for schemabranch to run. ' +
  'Remove it, and put mariadbd (or mysqld) on your PATH, set the SCHEMABRANCH_MARIADBD environment variable to its path, ' +
  'or in VS Code set "schemabranch.sandbox.binary" in your user settings.';

function trustProblems(located: LocatedJson, root: string | undefined): ConfigProblem[] {
  const raw = obj(located.value);
  const connection = obj(raw.connection);
  const sandbox = obj(connection.sandbox);
  const out: ConfigProblem[] = [];
  if (sandbox.binary !== undefined) out.push({ path: 'connection.sandbox.binary', message: SANDBOX_BINARY_REFUSED, ...located.keyPositions.get('connection.sandbox.binary') });
  if (root === undefined) return out;
  const folders: Array<[string, JsonValue | undefined, string]> = [
    ['schemaDir', raw.schemaDir, 'Use a folder inside it, for example "schema".'],
    ['connection.sandbox.dir', sandbox.dir, 'Use a folder inside it, for example ".schemabranch/sandbox".'],
  ];
  for (const [path, value, fix] of folders) {
    if (typeof value !== 'string') continue;
    try {
      resolveInWorkspace(root, value, path, fix);
    } catch (err) {
      if (!(err instanceof OutsideWorkspaceError)) throw err;
      out.push({ path, message: err.message, ...located.positions.get(path) });
    }
  }
  return out;
}

/** main's database when the file does not name one: the folder's name, made a safe identifier. */
export function databaseNameFor(root: string): string {
  const name = basename(resolve(root))
    .toLowerCase()
    .replace(/[^a-z0-9_$]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 48);
  return name || 'schemabranch';
}

type Obj = Record<string, JsonValue>;
const obj = (v: JsonValue | undefined): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

function buildConfig(raw: Obj, root: string): WorkspaceConfig {
  const connection = obj(raw.connection);
  const sandbox = obj(connection.sandbox);
  const lint = obj(raw.lint);
  const migration = obj(raw.migration);
  return {
    database: typeof raw.database === 'string' ? raw.database : databaseNameFor(root),
    schemaDir: typeof raw.schemaDir === 'string' ? raw.schemaDir : DEFAULTS.schemaDir,
    connection: {
      url: typeof connection.url === 'string' ? connection.url : undefined,
      sandbox: { dir: resolveInWorkspace(root, typeof sandbox.dir === 'string' ? sandbox.dir : DEFAULTS.sandboxDir, 'connection.sandbox.dir', 'Replace the link with a real folder, or set connection.sandbox.dir to a folder inside it.') },
    },
    revertWindowMinutes: typeof raw.revertWindowMinutes === 'number' ? raw.revertWindowMinutes : DEFAULTS.revertWindowMinutes,
    gatedDeploys: typeof raw.gatedDeploys === 'boolean' ? raw.gatedDeploys : DEFAULTS.gatedDeploys,
    requireApprovals: typeof raw.requireApprovals === 'number' ? raw.requireApprovals : DEFAULTS.requireApprovals,
    lint: {
      severity: { ...(obj(lint.severity) as Record<string, LintSeverity>) },
      charsets: Array.isArray(lint.charsets) ? lint.charsets.map(String) : [],
    },
    migration: {
      chunkTargetMs: typeof migration.chunkTargetMs === 'number' ? migration.chunkTargetMs : DEFAULTS.migration.chunkTargetMs,
      maxThreadsRunning: typeof migration.maxThreadsRunning === 'number' ? migration.maxThreadsRunning : DEFAULTS.migration.maxThreadsRunning,
      lockWaitSeconds: typeof migration.lockWaitSeconds === 'number' ? migration.lockWaitSeconds : DEFAULTS.migration.lockWaitSeconds,
      killBlockersAfterSeconds: typeof migration.killBlockersAfterSeconds === 'number' ? migration.killBlockersAfterSeconds : DEFAULTS.migration.killBlockersAfterSeconds,
      replicas: Array.isArray(migration.replicas) ? migration.replicas.map(String) : [...DEFAULTS.migration.replicas],
      maxReplicaLagMs: typeof migration.maxReplicaLagMs === 'number' ? migration.maxReplicaLagMs : DEFAULTS.migration.maxReplicaLagMs,
    },
  };
}
