/**
 * The lint engine: schema rules run on a branch's schema (every keystroke, CLI
 * `lint`), change rules on a deploy request's diff. "Deployable" means no
 * violation of severity 'error' after overrides and nolint comments.
 */
import type { SchemaChange } from '../diff/change.js';
import type { Schema, Table } from '../schema/model.js';
import type { LintContext, LintRule, LiveStats, SourceTexts } from './rule.js';
import { autoIncrementCapacity } from './rules/auto-increment-capacity.js';
import { charsetAllowlist } from './rules/charset-allowlist.js';
import { dataDependentChange } from './rules/data-dependent-change.js';
import { destructiveChange } from './rules/destructive-change.js';
import { duplicateIndex } from './rules/duplicate-index.js';
import { floatDouble } from './rules/float-double.js';
import { foreignKey } from './rules/foreign-key.js';
import { needsDecisionChange } from './rules/needs-decision-change.js';
import { noPrimaryKey } from './rules/no-primary-key.js';
import { redundantIndex } from './rules/redundant-index.js';
import { reservedWord } from './rules/reserved-word.js';
import { zeroDate } from './rules/zero-date.js';
import { objectDefiner, objectMissingTable, triggerWritesOwnTable, viewSecurityDefiner } from './rules/objects.js';
import type { LintConfig, Severity, Violation } from './violation.js';

export type { LintContext, LintRule, LiveStats, SourceTexts } from './rule.js';
export type { LintConfig, LintFix, Severity, Violation } from './violation.js';
export { DEFAULT_CHARSETS } from './violation.js';

/** `-- schemabranch:nolint` with no code (or with `all`) silences every rule for the table. */
export const NOLINT_ALL = 'all';

export function allRules(): LintRule[] {
  return [
    noPrimaryKey,
    foreignKey,
    charsetAllowlist,
    floatDouble,
    zeroDate,
    reservedWord,
    duplicateIndex,
    redundantIndex,
    autoIncrementCapacity,
    destructiveChange,
    dataDependentChange,
    needsDecisionChange,
    objectMissingTable,
    objectDefiner,
    viewSecurityDefiner,
    triggerWritesOwnTable,
  ];
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'off'];

/** The effective severity of every rule, after config.severity. Throws on an unknown code or severity, naming the valid ones. */
export function effectiveSeverities(config: LintConfig = {}): Map<string, Severity> {
  const rules = allRules();
  const result = new Map<string, Severity>(rules.map((r) => [r.code, r.defaultSeverity]));
  for (const [code, severity] of Object.entries(config.severity ?? {})) {
    if (!result.has(code)) {
      throw new Error(`Unknown lint rule "${code}" in the lint severity settings. Valid codes: ${rules.map((r) => r.code).join(', ')}.`);
    }
    if (!SEVERITIES.includes(severity)) {
      throw new Error(`Invalid severity "${String(severity)}" for lint rule "${code}". Use one of: ${SEVERITIES.join(', ')}.`);
    }
    result.set(code, severity);
  }
  return result;
}

function silenced(table: Table | undefined, code: string): boolean {
  if (!table) return false;
  return table.nolint.some((c) => c === code || c === NOLINT_ALL || c === '*');
}

function run(scope: LintRule['scope'], ctx: LintContext, tableOf: (v: Violation) => Table | undefined): Violation[] {
  const severities = effectiveSeverities(ctx.config);
  const out: Violation[] = [];
  for (const rule of allRules()) {
    if (rule.scope !== scope) continue;
    const severity = severities.get(rule.code) ?? rule.defaultSeverity;
    if (severity === 'off') continue;
    for (const v of rule.lint(ctx)) {
      if (silenced(tableOf(v), v.code)) continue;
      out.push({ ...v, severity });
    }
  }
  return out;
}

/**
 * Schema rules over a whole branch. `liveStats` (from the target server) turns
 * on the dynamic checks; `sources` (file text by SourceRef.file) lets rules
 * offer token-precise fixes; `branchNames` (lower-case table and view names of
 * the whole branch) lets a part of a branch, one file, be linted as the whole
 * branch would lint it.
 */
export function lintSchema(schema: Schema, config: LintConfig = {}, liveStats?: LiveStats, sources?: SourceTexts, branchNames?: ReadonlySet<string>): Violation[] {
  const byName = new Map(schema.tables.map((t) => [t.name, t]));
  return run('schema', { schema, config, liveStats, sources, branchNames }, (v) => (v.table !== undefined ? byName.get(v.table) : undefined));
}

/**
 * Deploy-time rules over a deploy request's changes. nolint comes from the
 * table as the branch writes it; a dropped table has no file left to carry one,
 * so confirming a drop takes a severity override for that deploy.
 */
export function lintChanges(changes: SchemaChange[], config: LintConfig = {}): Violation[] {
  const byName = new Map(changes.map((c) => [c.table, c.after]));
  return run('change', { changes, config }, (v) => (v.table !== undefined ? byName.get(v.table) : undefined));
}

/**
 * A deploy request's verdict: the change rules over its changes, plus the schema
 * rules over the tables it creates or alters (as the branch writes them). Tables
 * the request does not touch are left out, so an old problem elsewhere in the
 * branch does not block an unrelated deploy.
 */
export function lintDeployRequest(branch: Schema, changes: SchemaChange[], config: LintConfig = {}, liveStats?: LiveStats, sources?: SourceTexts): Violation[] {
  const touched = new Set(changes.filter((c) => c.kind === 'create_table' || c.kind === 'alter_table').map((c) => c.table));
  // Views, triggers, routines and events the request creates or replaces, checked against every table and view of the branch.
  const key = (o: { kind: string; name: string }): string => `${o.kind}\0${o.name.toLowerCase()}`;
  const touchedObjects = new Set(changes.flatMap((c) => (c.object && c.kind !== 'drop_object' ? [key(c.object)] : [])));
  const tables = branch.tables.filter((t) => touched.has(t.name));
  const objects = (branch.objects ?? []).filter((o) => touchedObjects.has(key(o)));
  const names = new Set([...branch.tables.map((t) => t.name.toLowerCase()), ...(branch.objects ?? []).filter((o) => o.kind === 'view').map((o) => o.name.toLowerCase())]);
  return [...lintChanges(changes, config), ...lintSchema({ tables, objects }, config, liveStats, sources, names)];
}

export function isDeployable(violations: Violation[]): boolean {
  return !violations.some((v) => v.severity === 'error');
}
