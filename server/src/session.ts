/**
 * The server's state for one workspace: configuration, the files, and which
 * branches need their diagnostics recomputed. Validation is coalesced: a burst
 * of edits schedules one pass, and a pass touches only the dirty branches.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { loadWorkspaceConfig, type WorkspaceConfig } from '../../engine/src/config/index.js';
import { schemaRootOf } from '../../engine/src/config/paths.js';
import { DEFAULTS } from '../../engine/src/config/types.js';
import { BranchChecker } from './diagnostics/branch-checker.js';
import { applyEditorSettings } from './editor-settings.js';
import type { EditorSettings } from './protocol.js';
import { LensCounts } from './features/lens-refresh.js';
import { SchemaNormalizer } from './features/normalized.js';
import type { LintConfig, SchemaEngine, Violation } from './engine.js';
import type { BranchModel } from './workspace/branch-model.js';
import type { ParsedDocument } from './workspace/documents.js';
import { Workspace, type BranchKey } from './workspace/workspace.js';

export interface SessionHost {
  publish(uri: string, diagnostics: Diagnostic[]): void;
  log(message: string): void;
  /** Shown once to the user: configuration problems they must fix. */
  warn(message: string): void;
  /** The first scan finished and every file's diagnostics went out. */
  loaded(files: number, ms: number): void;
  /** What a code lens says changed: the editor should ask for lenses again. */
  lensesChanged?(): void;
}

/** Above this size an edited buffer is re-checked once typing pauses, not on every keystroke. */
const LARGE_FILE_CHARS = 100_000;
const LARGE_FILE_SETTLE_MS = 300;

/** Files parsed between yields to the event loop during the first scan, so requests stay answered. */
const WARM_CHUNK = 25;

export class Session {
  config: WorkspaceConfig | undefined;
  configError: string | undefined;
  readonly workspace: Workspace;
  /** Normalizes branch schemas for diffs; the database layer gives it the server's defaults. */
  readonly normalizer: SchemaNormalizer;
  private readonly dirty = new Set<BranchKey>();
  private scheduled = false;
  /** Until the first scan is done a branch model would be partial (false "missing table" errors): hold validation. */
  private scanning = true;
  private readonly published = new Set<string>();
  private readonly checker: BranchChecker;
  private readonly lenses: LensCounts;
  private readonly waiters: Array<() => void> = [];
  private pending = 0;
  private lintConfigBroken = false;
  /** Edited buffers: their diagnostics are re-sent even when unchanged, as the editor's confirmation. */
  private readonly force = new Set<string>();
  /** Counts invalidate() calls: a pass waits until a turn goes by without one. */
  private invalidations = 0;
  /** Set by tests and the bench: called after each validation pass with the branches it covered. */
  onValidated?: (branches: BranchKey[]) => void;

  constructor(
    readonly root: string,
    readonly engine: SchemaEngine,
    readonly host: SessionHost,
    readonly lintRulesDoc: string,
    editorSettings?: EditorSettings,
  ) {
    this.editorSettings = editorSettings;
    this.normalizer = new SchemaNormalizer(engine);
    this.checker = new BranchChecker(lintRulesDoc, (parsed, config, branchNames) => this.lintFile(parsed, config, branchNames));
    this.loadConfig();
    this.workspace = new Workspace(root, this.config?.schemaDir ?? DEFAULTS.schemaDir, engine, (m) => host.log(m));
    this.lenses = new LensCounts(this.workspace, engine, this.normalizer, (m) => host.log(m));
  }

  /** The editor's settings, the fallback when there is no schemabranch.json. */
  editorSettings: EditorSettings | undefined;

  /** Called after schemabranch.json was read again, with the previous configuration. */
  readonly configListeners: Array<(previous: WorkspaceConfig | undefined) => void> = [];

  /** Re-reads schemabranch.json; true when the schema folder moved. */
  loadConfig(): boolean {
    const previous = this.config;
    const before = this.config?.schemaDir;
    try {
      const config = applyEditorSettings(loadWorkspaceConfig(this.root), this.editorSettings);
      // The editor's schemaFolder setting (which a workspace's .vscode/settings.json can set) obeys the file's rule.
      schemaRootOf(this.root, config.schemaDir);
      this.config = config;
      this.configError = undefined;
    } catch (err) {
      this.configError = (err as Error).message;
      this.host.warn(this.configError);
    }
    this.lintConfigBroken = false;
    this.checker.configChanged();
    for (const listener of this.configListeners) listener(previous);
    return before !== undefined && this.config !== undefined && before !== this.config.schemaDir;
  }

  get lintConfig(): LintConfig {
    if (!this.config || this.lintConfigBroken) return {};
    return { severity: this.config.lint.severity, charsets: this.config.lint.charsets.length ? this.config.lint.charsets : undefined };
  }

  /** First scan: read every file, parse in chunks (yielding between them), then validate everything. */
  async start(): Promise<void> {
    const started = Date.now();
    this.scanning = true;
    const count = await this.workspace.scan();
    const docs = [...this.workspace.docs.values()];
    for (let i = 0; i < docs.length; i += WARM_CHUNK) {
      for (const d of docs.slice(i, i + WARM_CHUNK)) this.workspace.parsed(d);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.scanning = false;
    this.invalidateAll();
    // Validate now rather than on the scheduled tick, so `loaded` below follows the diagnostics.
    this.flush();
    this.host.log(`loaded ${count} schema files from ${this.workspace.schemaRoot} in ${Date.now() - started} ms`);
    this.host.loaded(count, Date.now() - started);
  }

  /** An editor opened or changed a buffer. */
  edited(uri: string, text: string): void {
    this.force.add(uri);
    // Parsing a very large file takes seconds: let a burst of keystrokes settle first instead of parsing on each one.
    this.invalidate(this.workspace.setBuffer(uri, text), text.length > LARGE_FILE_CHARS ? LARGE_FILE_SETTLE_MS : 0);
  }

  /** Everything changed (git switched branches, the schema folder moved): rescan from disk. */
  async rescan(): Promise<void> {
    this.workspace.reset(this.config?.schemaDir);
    await this.start();
  }

  invalidate(branch: BranchKey | undefined, settleMs = 0): void {
    if (branch === undefined) return;
    this.dirty.add(branch);
    this.invalidations++;
    if (this.scheduled || this.scanning) return;
    this.scheduled = true;
    if (settleMs > 0) setTimeout(() => this.flushWhenQuiet(), settleMs);
    else this.flushWhenQuiet();
  }

  /**
   * Validates once an event-loop turn has gone by without a new invalidation. The connection reads
   * one message per turn, so a pass run on the next turn would run between every two edits of a
   * burst: 300 queued edits meant 300 passes over a 10,000-table branch, and a hover behind them was
   * answered 25 s late. Waiting for a quiet turn costs a lone keystroke two turns (microseconds).
   */
  private flushWhenQuiet(): void {
    const before = this.invalidations;
    // Two turns: a callback queued while a message is handled runs ahead of the connection's next message.
    setImmediate(() =>
      setImmediate(() => {
        if (this.invalidations === before) this.flush();
        else this.flushWhenQuiet();
      }),
    );
  }

  invalidateAll(): void {
    for (const b of this.workspace.branches()) this.invalidate(b);
    this.invalidate('');
  }

  /** Resolves when no validation is pending (tests and the bench wait on it, never on a timer). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private isIdle(): boolean {
    return !this.scanning && !this.scheduled && this.dirty.size === 0 && this.pending === 0;
  }

  /** Asynchronous work (reading changed files) that idle() must wait for; failures are logged. */
  track(work: Promise<unknown>, what: string): void {
    this.pending++;
    work
      .catch((err: unknown) => this.host.log(`${what} failed: ${(err as Error).stack ?? String(err)}`))
      .finally(() => {
        this.pending--;
        this.wakeIdle();
      });
  }

  private wakeIdle(): void {
    if (this.isIdle()) for (const w of this.waiters.splice(0)) w();
  }

  private flush(): void {
    this.scheduled = false;
    if (this.dirty.size === 0) return this.wakeIdle();
    const branches = [...this.dirty];
    this.dirty.clear();
    for (const b of branches) {
      try {
        this.validate(b);
      } catch (err) {
        this.host.log(`validating ${b || 'files outside the schema folder'} failed: ${(err as Error).stack ?? String(err)}`);
      }
    }
    this.clearVanished();
    if (this.host.lensesChanged && this.lenses.changed(branches)) this.host.lensesChanged();
    this.onValidated?.(branches);
    this.wakeIdle();
  }

  private validate(branch: BranchKey): void {
    if (branch !== '') return this.publishModel(this.workspace.model(branch));
    for (const doc of this.workspace.documentsOf('')) this.publishModel(this.workspace.modelFor(doc));
  }

  /**
   * Lints one file's tables (schema rules are per table, so a file is a unit) and its views,
   * triggers, routines and events (against the branch's table and view names); falls back to
   * defaults on a bad lint config.
   */
  private lintFile(parsed: ParsedDocument, config: LintConfig, branchNames?: ReadonlySet<string>): Violation[] {
    const schema = parsed.objects.length ? { tables: parsed.tables, objects: parsed.objects } : { tables: parsed.tables };
    const sources = { [parsed.doc.path]: parsed.text };
    if (this.lintConfigBroken) return this.engine.lint(schema, {}, sources, branchNames);
    try {
      return this.engine.lint(schema, config, sources, branchNames);
    } catch (err) {
      // A bad lint section in schemabranch.json must not switch linting off: say so, lint with defaults.
      this.lintConfigBroken = true;
      this.checker.configChanged();
      this.host.warn(`${(err as Error).message} Linting with default severities until schemabranch.json is fixed.`);
      return this.engine.lint(schema, {}, sources, branchNames);
    }
  }

  private publishModel(model: BranchModel): void {
    for (const { uri, diagnostics } of this.checker.check(model, this.lintConfig, this.force)) {
      this.published.add(uri);
      this.host.publish(uri, diagnostics);
    }
  }

  /** Files that left the workspace keep no stale diagnostics. */
  private clearVanished(): void {
    if (this.published.size === 0) return;
    const live = new Map([...this.workspace.docs.values()].map((d) => [d.uri, d.path]));
    for (const uri of [...this.published]) {
      if (live.has(uri)) continue;
      this.published.delete(uri);
      this.host.publish(uri, []);
    }
    for (const path of this.checker.paths()) if (!this.workspace.docs.has(path)) this.checker.forget(path);
  }
}

/** lint-rules.md next to the server (bundled: dist/../docs; from source: server/src/../../docs). */
export function defaultLintRulesDoc(): string {
  for (const candidate of [join(__dirname, '..', 'docs', 'lint-rules.md'), join(__dirname, '..', '..', 'docs', 'lint-rules.md')]) {
    if (existsSync(candidate)) return candidate;
  }
  return join(__dirname, '..', 'docs', 'lint-rules.md');
}
