/**
 * A branch's diff against its base from the files, and the code lens "N
 * changes vs main — Preview" on each table, view, trigger, routine and event
 * built on it. Objects are compared by their text as written (comments and
 * spacing aside), never by defining them on a server: the editor sends no
 * repository's SQL anywhere on its own (docs/security.md).
 */
import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import type { BranchDiffParams, BranchDiffResult, LintFinding, SchemaChangeInfo, ShowDiffArgs } from '../protocol.js';
import { ShowDiffCommand } from '../protocol.js';
import type { LintConfig, Schema, SchemaChange, SchemaEngine, SchemaObject, Table, Violation } from '../engine.js';
import type { SchemaNormalizer } from './normalized.js';
import { tokenize } from '../sql/tokens.js';
import { objectKey, type BranchModel } from '../workspace/branch-model.js';
import type { Workspace } from '../workspace/workspace.js';
import { toRange } from './resolve.js';

export const MAIN_BRANCH = 'main';

/** Diffs are cached per pair of normalized schemas: new ones appear whenever a file of a branch (or the server defaults) changes. */
const diffCache = new WeakMap<Schema, WeakMap<Schema, SchemaChange[]>>();

export function branchChanges(engine: SchemaEngine, normalizer: SchemaNormalizer, base: BranchModel, branch: BranchModel): SchemaChange[] {
  const from = normalizer.schemaOf(base);
  const to = normalizer.schemaOf(branch);
  let inner = diffCache.get(from);
  if (!inner) diffCache.set(from, (inner = new WeakMap()));
  let changes = inner.get(to);
  if (!changes) inner.set(to, (changes = engine.diff(from, to)));
  return changes;
}

/** Per-table diffs for the code lens, cached per pair of normalized tables (so an edit re-diffs one table). */
const tableDiffCache = new WeakMap<Table, WeakMap<Table, { change: SchemaChange | undefined }>>();

/** How many changes the lens shows for `name`: 1 for a new table, the ALTER's clauses for a changed one. */
export function tableChangeCount(engine: SchemaEngine, normalizer: SchemaNormalizer, base: BranchModel, branch: BranchModel, name: string): number {
  const to = normalizer.tableOf(branch, name);
  if (!to) return 0;
  const from = normalizer.tableOf(base, name);
  if (!from) return 1;
  let inner = tableDiffCache.get(from);
  if (!inner) tableDiffCache.set(from, (inner = new WeakMap()));
  let cached = inner.get(to);
  if (!cached) inner.set(to, (cached = { change: engine.diffTable(from, to) }));
  return cached.change ? changeCount(cached.change) : 0;
}

/** Per pair of branch models (both rebuilt when one of their files changes). */
const starViewCache = new WeakMap<BranchModel, WeakMap<BranchModel, ReadonlySet<SchemaObject>>>();

function starViewsRedefined(engine: SchemaEngine, base: BranchModel, branch: BranchModel): ReadonlySet<SchemaObject> {
  let inner = starViewCache.get(base);
  if (!inner) starViewCache.set(base, (inner = new WeakMap()));
  let views = inner.get(branch);
  if (!views) inner.set(branch, (views = engine.starViewsRedefined(base.schema, branch.schema)));
  return views;
}

/**
 * How many changes the lens shows for a view, trigger, routine or event of the branch: 1 when the
 * diff creates or redefines it (a trigger's DROP and CREATE are one change to it), else 0.
 */
export function objectChangeCount(engine: SchemaEngine, base: BranchModel, branch: BranchModel, kind: SchemaObject['kind'], name: string): number {
  const key = objectKey(kind, name);
  const to = branch.objects.get(key);
  if (!to) return 0;
  const from = base.objects.get(key);
  return from && engine.sameObject(from, to) && !starViewsRedefined(engine, base, branch).has(to) ? 0 : 1;
}

/**
 * Tables, views, triggers, routines and events a branch creates, changes or drops against its
 * base: from per-table and per-object comparisons, so it stays cheap after an edit.
 */
export function changedDefinitionCount(engine: SchemaEngine, normalizer: SchemaNormalizer, base: BranchModel, branch: BranchModel): number {
  let n = 0;
  for (const name of branch.definitions.keys()) if (tableChangeCount(engine, normalizer, base, branch, name) > 0) n++;
  for (const name of base.definitions.keys()) if (!branch.definitions.has(name)) n++;
  for (const o of branch.objects.values()) n += objectChangeCount(engine, base, branch, o.kind, o.name);
  for (const key of base.objects.keys()) if (!branch.objects.has(key)) n++;
  return n;
}

export function toChangeInfo(c: SchemaChange): SchemaChangeInfo {
  return { table: c.table, kind: c.kind, statement: c.statement, class: c.class, reasons: c.reasons.map((r) => ({ ...r })) };
}

export function toFinding(v: Violation, uriOf: (file: string) => string | undefined): LintFinding {
  const uri = v.source ? uriOf(v.source.file) : undefined;
  const r = v.source?.range;
  return {
    code: v.code,
    severity: v.severity,
    message: v.message,
    suggestion: v.suggestion,
    table: v.table,
    column: v.column,
    location: uri && r ? { uri, range: { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } } } : undefined,
  };
}

/** Thrown for a branch that has no folder: diffing against nothing would look like dropping every table. */
export class BranchMissingError extends Error {
  constructor(
    readonly branch: string,
    folder: string,
  ) {
    super(`There is no branch ${branch}: the folder ${folder}/${branch}/ has no .sql files. Create the branch first, or check the name.`);
  }
}

export function branchDiff(ws: Workspace, engine: SchemaEngine, normalizer: SchemaNormalizer, lintConfig: LintConfig, params: BranchDiffParams): BranchDiffResult {
  const baseName = params.base ?? MAIN_BRANCH;
  for (const name of [params.branch, baseName]) if (!ws.branches().includes(name)) throw new BranchMissingError(name, ws.schemaDir);
  const base = ws.model(baseName);
  const branch = ws.model(params.branch);
  const changes = branchChanges(engine, normalizer, base, branch);
  const lint = engine.lintChanges(changes, lintConfig);
  return {
    branch: params.branch,
    base: baseName,
    changes: changes.map(toChangeInfo),
    lint: lint.map((v) => toFinding(v, (f) => ws.docs.get(f)?.uri)),
    deployable: !lint.some((v) => v.severity === 'error'),
    unparsedFiles: [...base.brokenFiles, ...branch.brokenFiles].map((f) => ws.docs.get(f)?.uri ?? f),
  };
}

/** How many changes a statement makes: the clauses of an ALTER, or 1 for a create or drop. */
export function changeCount(c: SchemaChange): number {
  if (c.kind !== 'alter_table' || !c.alterSpec) return 1;
  let depth = 0;
  let clauses = 1;
  for (const t of tokenize(c.alterSpec)) {
    if (t.kind !== 'punct') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (t.text === ',' && depth === 0) clauses++;
  }
  return clauses;
}

export function codeLenses(ws: Workspace, engine: SchemaEngine, normalizer: SchemaNormalizer, params: CodeLensParams): CodeLens[] {
  const doc = ws.documentByUri(params.textDocument.uri);
  if (!doc || doc.skipped || doc.branch === undefined || doc.branch === MAIN_BRANCH) return [];
  if (!ws.branches().includes(MAIN_BRANCH)) return [];
  const parsed = ws.parsed(doc);
  const model = ws.model(doc.branch);
  const main = ws.model(MAIN_BRANCH);
  const lenses: CodeLens[] = [];
  for (const st of parsed.outline.statements) {
    const object = st.object?.nameStart !== undefined ? st.object : undefined;
    const name = object?.name ?? (st.table && st.nameStart !== undefined ? st.table : undefined);
    if (name === undefined) continue;
    const n = object ? objectChangeCount(engine, main, model, object.kind, object.name) : tableChangeCount(engine, normalizer, main, model, name);
    const args: ShowDiffArgs = { branch: doc.branch, base: MAIN_BRANCH, table: name, uri: doc.uri };
    const title = n === 0 ? `No changes vs ${MAIN_BRANCH} — Preview branch diff` : `${n} change${n === 1 ? '' : 's'} vs ${MAIN_BRANCH} — Preview`;
    lenses.push({ range: toRange(parsed, st.start, st.start), command: { title, command: ShowDiffCommand, arguments: [args] } });
  }
  return lenses;
}
