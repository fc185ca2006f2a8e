/**
 * Branches of a workspace: `schema/<branch>/*.sql` plus a database of its own
 * on the server (main -> config.database, others -> `<database>__<branch>`).
 * Development branches take direct DDL (push); main changes only through
 * deploy requests, except its very first load into an empty database.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { schemaRootOf } from '../config/paths.js';
import type { WorkspaceConfig } from '../config/types.js';
import { withConnection } from '../db/connection.js';
import type { ServerTarget } from '../db/target.js';
import type { SchemaChange } from '../diff/change.js';
import { diffSchemas } from '../diff/index.js';
import type { Schema } from '../schema/model.js';
import type { ServerDefaults } from '../schema/normalize.js';
import { renderCreateTable } from '../sql/ddl.js';
import { renderObjectFile } from '../sql/object-ddl.js';
import { knownWord, sqlWord } from '../sql/words.js';
import { quoteIdent } from '../sql/quote.js';
import { comparableFiles, liveSchema, liveServerVersion, NEW_DATABASE_CHARSET, serverDefaults } from './live.js';
import type { ProbeNotice } from '../db/object-probe.js';
import { BranchExistsError, MainIsProtectedError, PushFailedError, PushPlanChangedError } from './errors.js';
import { BranchNotFoundError, loadBranch, loadValidBranch, replaceSqlFiles, type LoadedBranch } from './files.js';
import { branchDatabase, branchFolder, MAIN, tableFileName, validateBranchName } from './names.js';
import { databaseInfo, databaseNames, type DatabaseInfo } from './server.js';

export interface BranchSummary {
  name: string;
  database: string;
  folderExists: boolean;
  databaseExists: boolean;
  /** Statements the branch's files differ from main by; null when they cannot be compared (no folder, or parse errors). */
  changes: number | null;
  /** Error-level problems in the branch's files. */
  problems: number;
}

export interface PushResult {
  branch: string;
  database: string;
  /** main's first load into an empty database. */
  bootstrap: boolean;
  /** The database did not exist and was created. */
  createdDatabase: boolean;
  /** The CREATE DATABASE statement sent before the changes (or that would be, with dryRun) when the database does not exist. */
  createDatabase?: string;
  /** The statements that were executed (or would be, with dryRun), in order. */
  changes: SchemaChange[];
}

export interface PullResult {
  branch: string;
  database: string;
  /** Workspace-relative files written, one per table, view, trigger, routine and event. */
  written: string[];
  /** How many of them hold a table, and how many a view, trigger, routine or event. */
  tables: number;
  objects: number;
  /** .sql files removed because their table is not in the database. */
  removed: string[];
  /** Symbolic links that would have been written through or removed: left alone. */
  skipped: string[];
}

export interface BranchDiff {
  branch: string;
  /** What the branch was compared with: main's live database, or main's files when main has no database yet. */
  base: 'main-database' | 'main-files';
  changes: SchemaChange[];
}

export class Branches {
  constructor(
    readonly root: string,
    readonly config: WorkspaceConfig,
    readonly target: ServerTarget,
    /** Told, before it is sent, each view, trigger, routine and event a comparison defines in a scratch database. */
    private readonly onProbe?: (notice: ProbeNotice) => void,
  ) {}

  /** A branch's files as they compare with the server (objects probed; the caller is told first). */
  private comparable(conn: Connection, schema: Schema, defaults: Defaults): Promise<Schema> {
    return comparableFiles(conn, schema, defaults, this.onProbe);
  }

  databaseOf(name: string): string {
    return branchDatabase(this.config, name);
  }

  /** Reads and parses the branch's files; parse problems are in the result. */
  load(name: string): LoadedBranch {
    return loadBranch(this.root, this.config, name);
  }

  /** Copies main's files to schema/<name>/ and loads them into a new database `<database>__<name>`. */
  async createBranch(name: string, opts: { from?: string } = {}): Promise<PushResult> {
    const from = opts.from ?? MAIN;
    validateBranchName(name, this.config);
    if (name === MAIN) throw new BranchExistsError('main is the production branch and always exists; pick another name for a development branch.');
    const source = loadValidBranch(this.root, this.config, from);
    const folder = branchFolder(this.root, this.config, name);
    const database = this.databaseOf(name);
    if (existsSync(folder)) throw new BranchExistsError(`Branch ${name} already exists: ${this.rel(folder)} is there. Push it with \`schemabranch branch push ${name}\`, or delete it first.`);
    await withConnection(this.target, undefined, async (conn) => {
      if (await databaseInfo(conn, database)) throw new BranchExistsError(`The database ${database} already exists on the server. Delete the branch (\`schemabranch branch delete ${name}\`) or pick another name.`);
    });
    mkdirSync(folder, { recursive: true });
    for (const f of source.files) cpSync(join(this.root, f.file), join(folder, f.file.split('/').pop() as string));
    try {
      return await this.pushBranch(name);
    } catch (err) {
      // Leave nothing half-made: a retry of `branch create` must start clean.
      await this.deleteBranch(name).catch(() => undefined);
      throw err;
    }
  }

  async listBranches(): Promise<BranchSummary[]> {
    const schemaRoot = schemaRootOf(this.root, this.config.schemaDir);
    // A symbolic link is not a branch folder (never followed; the language server does the same).
    const folders = existsSync(schemaRoot) ? readdirSync(schemaRoot).filter((d) => lstatSync(join(schemaRoot, d)).isDirectory() && isBranchName(d)) : [];
    return withConnection(this.target, undefined, async (conn) => {
      const prefix = `${this.config.database}__`;
      const dbs = new Set(await databaseNames(conn));
      const fromDbs = [...dbs].filter((d) => d.startsWith(prefix)).map((d) => d.slice(prefix.length)).filter(isBranchName);
      const names = [...new Set([MAIN, ...folders, ...fromDbs])].sort((a, b) => (a === MAIN ? -1 : b === MAIN ? 1 : a.localeCompare(b)));
      const base = await this.baseSchema(conn);
      const server = await liveServerVersion(conn);
      const summaries: BranchSummary[] = [];
      for (const name of names) {
        const database = this.databaseOf(name);
        const folderExists = folders.includes(name);
        const summary = { name, database, folderExists, databaseExists: dbs.has(database), changes: null as number | null, problems: 0 };
        summaries.push(summary);
        if (!folderExists) continue;
        const loaded = loadBranch(this.root, this.config, name, server);
        summary.problems = loaded.problems.filter((p) => p.severity === 'error').length;
        if (name === MAIN) summary.changes = 0;
        else if (summary.problems === 0 && base) summary.changes = diffSchemas(base.schema, await this.comparable(conn, loaded.schema, base.defaults)).length;
      }
      return summaries;
    });
  }

  /** Drops the branch's database and removes its folder. main cannot be deleted. */
  async deleteBranch(name: string, opts: { keepFiles?: boolean } = {}): Promise<{ branch: string; droppedDatabase: boolean; removedFolder: boolean }> {
    validateBranchName(name, this.config);
    if (name === MAIN) throw new MainIsProtectedError();
    const database = this.databaseOf(name);
    const folder = branchFolder(this.root, this.config, name);
    const droppedDatabase = await withConnection(this.target, undefined, async (conn) => {
      if (!(await databaseInfo(conn, database))) return false;
      await conn.query(`DROP DATABASE ${quoteIdent(database)}`);
      return true;
    });
    const removedFolder = !opts.keepFiles && existsSync(folder);
    if (removedFolder) rmSync(folder, { recursive: true, force: true });
    if (!droppedDatabase && !removedFolder && !opts.keepFiles) throw new BranchNotFoundError(`There is no branch ${name}: neither ${this.rel(folder)} nor the database ${database} exists.`);
    return { branch: name, droppedDatabase, removedFolder };
  }

  /**
   * Makes the branch's database match its files (diff live -> files, execute).
   * main is refused unless its database is absent or empty (the bootstrap load),
   * or already matches its files (nothing to do).
   */
  /**
   * Makes the branch's database match its files. `expect`: the statements the user
   * was shown (a dry run's, CREATE DATABASE first when there is one); anything else
   * is refused before a statement runs.
   */
  async pushBranch(name: string, opts: { dryRun?: boolean; expect?: readonly string[] } = {}): Promise<PushResult> {
    const database = this.databaseOf(name);
    return withConnection(this.target, undefined, async (conn) => {
      const loaded = loadValidBranch(this.root, this.config, name, await liveServerVersion(conn));
      const info = await databaseInfo(conn, database);
      const bootstrap = name === MAIN && !(info && info.tables > 0);
      if (name === MAIN && !bootstrap) {
        // Nothing to change is not a change: CI may push main idempotently after a deploy.
        const changes = diffSchemas(await liveSchema(conn, database), await this.comparable(conn, loaded.schema, await serverDefaults(conn, database)));
        if (changes.length > 0) throw new MainIsProtectedError();
        return { branch: name, database, bootstrap, createdDatabase: false, changes };
      }
      let createdDatabase = false;
      const createDatabase = info ? undefined : await this.createDatabaseStatement(conn, database);
      const checked = opts.dryRun ? undefined : opts.expect;
      if (checked && createDatabase !== undefined && checked[0] !== createDatabase) throw new PushPlanChangedError(name);
      if (createDatabase !== undefined && !opts.dryRun) {
        await conn.query(createDatabase);
        createdDatabase = true;
      }
      const defaults = await serverDefaults(conn, info || createdDatabase ? database : await this.mainIfExists(conn));
      const live: Schema = info ? await liveSchema(conn, database) : { tables: [] };
      const changes = diffSchemas(live, await this.comparable(conn, loaded.schema, defaults));
      // The statements about to run are the ones the user was shown, or none runs (at most the new, empty database they saw created).
      if (checked && !sameStatements([...(createDatabase !== undefined ? [createDatabase] : []), ...changes.map((c) => c.statement)], checked)) throw new PushPlanChangedError(name);
      if (!opts.dryRun) await this.execute(conn, name, database, changes);
      return { branch: name, database, bootstrap, createdDatabase, ...(createDatabase !== undefined ? { createDatabase } : {}), changes };
    });
  }

  /** Writes the live database's schema into schema/<name>/, one canonical file per table and per view, trigger, routine or event; stale .sql files are removed. */
  async pullBranch(name: string): Promise<PullResult> {
    validateBranchName(name, this.config);
    const database = this.databaseOf(name);
    const folder = branchFolder(this.root, this.config, name);
    const live = await withConnection(this.target, undefined, async (conn) => {
      if (!(await databaseInfo(conn, database))) throw new BranchNotFoundError(`The database ${database} does not exist on the server, so there is nothing to pull for branch ${name}.`);
      return liveSchema(conn, database);
    });
    const used = new Set<string>();
    const files = live.tables.map((table) => {
      // `a/b` and `a_b` would share a file name; the second gets a suffix rather than overwriting the first.
      let name = tableFileName(table.name);
      for (let k = 2; used.has(name.toLowerCase()); k++) name = tableFileName(`${table.name}-${k}`);
      used.add(name.toLowerCase());
      return { name, text: `${renderCreateTable(table)};\n` };
    });
    for (const o of live.objects ?? []) {
      let name = tableFileName(`${o.kind}.${o.name}`);
      for (let k = 2; used.has(name.toLowerCase()); k++) name = tableFileName(`${o.kind}.${o.name}-${k}`);
      used.add(name.toLowerCase());
      files.push({ name, text: renderObjectFile(o) });
    }
    const { written, removed, skipped } = replaceSqlFiles(folder, files);
    return { branch: name, database, written: written.map((f) => this.rel(f)), tables: live.tables.length, objects: live.objects?.length ?? 0, removed: removed.map((f) => this.rel(f)), skipped: skipped.map((f) => this.rel(f)) };
  }

  /** The statements that would take main to this branch's files, each classified. */
  async diffBranch(name: string): Promise<BranchDiff> {
    return withConnection(this.target, undefined, async (conn) => {
      const loaded = loadValidBranch(this.root, this.config, name, await liveServerVersion(conn));
      const base = await this.baseSchema(conn);
      if (!base) throw new BranchNotFoundError(`main has neither a database nor valid files to compare ${name} with. Run \`schemabranch branch push main\` first.`);
      return { branch: name, base: base.kind, changes: diffSchemas(base.schema, await this.comparable(conn, loaded.schema, base.defaults)) };
    });
  }

  /** main as the comparison base: its live database when it has tables, else its files. */
  private async baseSchema(conn: Connection): Promise<{ kind: BranchDiff['base']; schema: Schema; defaults: Defaults } | undefined> {
    const mainDb = this.config.database;
    const info = await databaseInfo(conn, mainDb);
    const defaults = await serverDefaults(conn, info ? mainDb : undefined);
    if (info && info.tables > 0) return { kind: 'main-database', schema: await liveSchema(conn, mainDb), defaults };
    let main: LoadedBranch;
    try {
      main = loadValidBranch(this.root, this.config, MAIN, await liveServerVersion(conn));
    } catch {
      return undefined;
    }
    return { kind: 'main-files', schema: await this.comparable(conn, main.schema, defaults), defaults };
  }

  /** main's database when it exists: a new branch database will copy its defaults. */
  private async mainIfExists(conn: Connection): Promise<string | undefined> {
    return (await databaseInfo(conn, this.config.database))?.name;
  }

  /** New branch databases take main's character set and collation, so a branch behaves like main. */
  private async createDatabaseStatement(conn: Connection, database: string): Promise<string> {
    const main: DatabaseInfo | undefined = database === this.config.database ? undefined : await databaseInfo(conn, this.config.database);
    // Charset and collation names come from the server's catalogue; still only closed-list words are written.
    const copy = main && knownWord('charset', main.charset) && knownWord('collation', main.collation);
    const charset = copy ? `CHARACTER SET ${sqlWord('charset', main.charset)} COLLATE ${sqlWord('collation', main.collation)}` : `CHARACTER SET ${NEW_DATABASE_CHARSET}`;
    return `CREATE DATABASE ${quoteIdent(database)} ${charset}`;
  }

  private async execute(conn: Connection, branch: string, database: string, changes: SchemaChange[]): Promise<void> {
    await conn.query(`USE ${quoteIdent(database)}`);
    // Tables arrive in file order, not dependency order; a development branch holds no data worth guarding.
    await conn.query('SET SESSION foreign_key_checks = 0');
    try {
      for (let k = 0; k < changes.length; k++) {
        try {
          await conn.query(changes[k].statement);
        } catch (err) {
          throw new PushFailedError(branch, changes[k].statement, k, changes.length, err);
        }
      }
    } finally {
      await conn.query('SET SESSION foreign_key_checks = 1');
    }
  }

  private rel(path: string): string {
    return relative(this.root, path).split(sep).join('/');
  }
}

type Defaults = ServerDefaults;

function isBranchName(name: string): boolean {
  try {
    validateBranchName(name);
    return true;
  } catch {
    return false;
  }
}

function sameStatements(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
