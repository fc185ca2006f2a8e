/**
 * Every .sql file of the workspace, each belonging to a branch by its folder
 * (<schemaDir>/<branch>/...), with open editor buffers winning over the disk.
 * Mutations return the branches they touched so the server revalidates only those.
 */
import { promises as fs } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SchemaEngine } from '../engine.js';
import { buildBranchModel, type BranchModel } from './branch-model.js';
import { ParseCache, type ParsedDocument, type SchemaDocument } from './documents.js';
import { OutsideWorkspaceError, schemaRootOf } from '../../../engine/src/config/paths.js';
import { checkSchemaText, readSchemaFile } from '../../../engine/src/schema/file-text.js';

/** A branch key: the branch name, or '' for files outside the schema folder (each checked alone). */
export type BranchKey = string;

const SCAN_CONCURRENCY = 32;
/** Folders never worth walking into. */
const SKIP_DIRS = new Set(['node_modules', '.git']);

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class Workspace {
  readonly docs = new Map<string, SchemaDocument>();
  readonly parses: ParseCache;
  private readonly models = new Map<BranchKey, BranchModel>();

  constructor(
    readonly root: string,
    public schemaDir: string,
    engine: SchemaEngine,
    private readonly log: (message: string) => void,
  ) {
    this.parses = new ParseCache(engine, log);
  }

  /**
   * The schema folder, resolved by the same rule as the CLI's; undefined when
   * it is outside the workspace (then nothing is read, and the reason is logged).
   */
  get schemaRoot(): string | undefined {
    const located = this.locateSchemaRoot();
    return typeof located === 'string' ? located : undefined;
  }

  private locateSchemaRoot(): string | OutsideWorkspaceError {
    try {
      return schemaRootOf(this.root, this.schemaDir);
    } catch (err) {
      if (err instanceof OutsideWorkspaceError) return err;
      throw err;
    }
  }

  /** The branch a path belongs to, or undefined outside <schemaDir>/<branch>/. */
  branchOf(path: string): string | undefined {
    const schemaRoot = this.schemaRoot;
    if (schemaRoot === undefined) return undefined;
    const rel = relative(schemaRoot, path);
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    const parts = rel.split(sep);
    return parts.length >= 2 ? parts[0] : undefined;
  }

  branches(): string[] {
    const names = new Set<string>();
    for (const d of this.docs.values()) if (d.branch !== undefined) names.add(d.branch);
    return [...names].sort();
  }

  documentsOf(branch: BranchKey): SchemaDocument[] {
    return [...this.docs.values()].filter((d) => (d.branch ?? '') === branch);
  }

  /** Reads every .sql file under the schema folder. Returns the number of files loaded. */
  async scan(): Promise<number> {
    const paths: string[] = [];
    const schemaRoot = this.locateSchemaRoot();
    if (typeof schemaRoot !== 'string') this.log(`not reading any schema files: ${schemaRoot.message}`);
    else await this.walk(schemaRoot, paths);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < paths.length) await this.loadFromDisk(paths[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(SCAN_CONCURRENCY, paths.length) }, worker));
    this.models.clear();
    return paths.length;
  }

  private async walk(dir: string, out: string[]): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`skipping folder ${dir}: ${(err as Error).message}`);
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await this.walk(path, out);
      else if (e.isSymbolicLink() && !e.name.toLowerCase().endsWith('.sql')) this.log(`skipping ${path}: symbolic links in the schema folder are never followed`);
      // A linked .sql file is read (refused, with a diagnostic saying why), as the CLI reports it too.
      else if ((e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith('.sql')) {
        if (this.branchOf(path) === undefined) this.log(`skipping ${path}: schema files belong in ${this.schemaDir}/<branch>/`);
        else out.push(path);
      }
    }
  }

  /** Reads (or re-reads) one file from disk unless an editor holds it. Returns the touched branch. */
  async loadFromDisk(path: string): Promise<BranchKey | undefined> {
    const existing = this.docs.get(path);
    if (existing?.open) return undefined;
    const branch = this.branchOf(path);
    if (branch === undefined) return undefined;
    const read = await readSchemaFile(path);
    // Gone while being read (a folder rewritten file by file): the file is not there, not unreadable.
    if (!read.ok && !(await existsOnDisk(path))) return this.removeFromDisk(path);
    // Opened while being read: the editor's buffer is the truth now.
    if (this.docs.get(path)?.open) return undefined;
    if (!read.ok) this.log(`skipping ${path}: ${read.reason}`);
    this.docs.set(path, {
      path,
      uri: existing?.uri ?? pathToFileURL(path).toString(),
      branch,
      text: read.ok ? read.text : '',
      skipped: read.ok ? undefined : read.reason,
      invalidUtf8At: read.ok ? read.invalidUtf8At : undefined,
      open: false,
    });
    return this.touched(branch);
  }

  /** A file disappeared from disk (deleted, or renamed away: the new name arrives as a create). */
  removeFromDisk(path: string): BranchKey | undefined {
    const doc = this.docs.get(path);
    if (!doc || doc.open) return undefined;
    this.docs.delete(path);
    this.parses.forget(path);
    return this.touched(doc.branch ?? '');
  }

  /** Every file under a folder disappeared (a branch folder deleted or renamed). */
  removeFolder(dir: string): BranchKey[] {
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    const out = new Set<BranchKey>();
    for (const path of [...this.docs.keys()]) {
      if (!path.startsWith(prefix)) continue;
      const b = this.removeFromDisk(path);
      if (b !== undefined) out.add(b);
    }
    return [...out];
  }

  /** An editor opened or changed a buffer. Non-file URIs (untitled:) are checked on their own. */
  setBuffer(uri: string, text: string): BranchKey {
    const path = uriToPath(uri) ?? uri;
    const branch = isAbsolute(path) ? this.branchOf(path) : undefined;
    const skipped = checkSchemaText(text);
    if (skipped) this.log(`not parsing ${path}: ${skipped}`);
    this.docs.set(path, { path, uri, branch, text: skipped ? '' : text, skipped, open: true });
    return this.touched(branch ?? '');
  }

  /** The editor closed the buffer: the disk is the truth again (or the file is gone). */
  async closeBuffer(uri: string): Promise<BranchKey | undefined> {
    const path = uriToPath(uri) ?? uri;
    const doc = this.docs.get(path);
    if (!doc) return undefined;
    this.docs.delete(path);
    const branch = doc.branch ?? '';
    if (doc.branch !== undefined) await this.loadFromDisk(path);
    else this.parses.forget(path);
    return this.touched(branch);
  }

  documentByUri(uri: string): SchemaDocument | undefined {
    return this.docs.get(uriToPath(uri) ?? uri);
  }

  parsed(doc: SchemaDocument): ParsedDocument {
    return this.parses.get(doc);
  }

  /** The branch a document is checked with: its branch, or a model of just itself. */
  modelFor(doc: SchemaDocument): BranchModel {
    if (doc.branch !== undefined) return this.model(doc.branch);
    return buildBranchModel(undefined, [this.parsed(doc)], (p) => this.parses.lastGoodTables(p));
  }

  model(branch: string): BranchModel {
    let model = this.models.get(branch);
    if (!model) {
      const files = this.documentsOf(branch).map((d) => this.parsed(d));
      model = buildBranchModel(branch, files, (p) => this.parses.lastGoodTables(p));
      this.models.set(branch, model);
    }
    return model;
  }

  /** Drops everything (schema folder moved, git switched branches): the caller rescans. */
  reset(schemaDir?: string): void {
    if (schemaDir !== undefined) this.schemaDir = schemaDir;
    for (const [path, doc] of this.docs) {
      if (!doc.open) this.docs.delete(path);
      else doc.branch = isAbsolute(path) ? this.branchOf(path) : undefined;
    }
    this.models.clear();
  }

  private touched(branch: BranchKey): BranchKey {
    this.models.delete(branch);
    return branch;
  }
}

/** Whether anything (a file, a link, a folder) is at `path` now. */
export async function existsOnDisk(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw err;
  }
}
