/**
 * `lint --format sarif`: one SARIF 2.1.0 log for GitHub code scanning (or any
 * SARIF viewer). The rules are the lint rule registry; schema file problems
 * (syntax errors, parser gaps) are added as rules of their own when they occur.
 * Validated against the official schema in cli/test/sarif.test.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LintRule, Severity } from '../../../engine/src/lint/index.js';
import type { Finding } from './findings.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type Level = 'error' | 'warning' | 'note' | 'none';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note', off: 'none' };

/** The docs folder shipped with the CLI (bundled: dist/../docs; from source: cli/src/report/../../../docs). */
export function docsFolder(): string {
  const candidates = [join(__dirname, '..', 'docs'), join(__dirname, '..', '..', '..', 'docs')];
  return candidates.find((c) => existsSync(join(c, 'lint-rules.md'))) ?? candidates[0];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  defaultConfiguration: { enabled: boolean; level: Level };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations?: Array<{
    physicalLocation: {
      artifactLocation: { uri: string };
      region?: { startLine: number; startColumn: number; endLine: number; endColumn: number };
    };
  }>;
}

/** A repository-relative path as a URI reference: each segment percent-encoded, slashes kept. */
export function fileUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function ruleOf(rule: LintRule, docs: string): SarifRule {
  return {
    id: rule.code,
    name: rule.name,
    shortDescription: { text: rule.name },
    fullDescription: { text: rule.description },
    helpUri: `${pathToFileURL(join(docs, 'lint-rules.md')).toString()}#${rule.code}`,
    defaultConfiguration: { enabled: rule.defaultSeverity !== 'off', level: LEVEL[rule.defaultSeverity] },
  };
}

function problemRule(code: string, docs: string): SarifRule {
  return {
    id: code,
    name: code,
    shortDescription: { text: `Schema file problem: ${code}` },
    fullDescription: { text: 'The schema file cannot be read as MySQL/MariaDB DDL here; see the diagnostic codes of the language server.' },
    helpUri: `${pathToFileURL(join(docs, 'lsp-extensions.md')).toString()}#diagnostic-codes`,
    defaultConfiguration: { enabled: true, level: 'error' },
  };
}

function resultOf(f: Finding, ruleIndex: number): SarifResult {
  const result: SarifResult = { ruleId: f.code, ruleIndex, level: LEVEL[f.severity], message: { text: f.message } };
  if (f.file === undefined) return result;
  const region = f.range
    ? { startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 }
    : undefined;
  result.locations = [{ physicalLocation: { artifactLocation: { uri: fileUri(f.file) }, ...(region ? { region } : {}) } }];
  return result;
}

export function sarifLog(rules: LintRule[], findings: Finding[], docs: string = docsFolder()) {
  const driverRules = rules.map((r) => ruleOf(r, docs));
  const index = new Map(driverRules.map((r, i) => [r.id, i]));
  for (const f of findings) {
    if (index.has(f.code)) continue;
    index.set(f.code, driverRules.length);
    driverRules.push(problemRule(f.code, docs));
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: { driver: { name: 'schemabranch', rules: driverRules } },
        columnKind: 'utf16CodeUnits' as const,
        results: findings.map((f) => resultOf(f, index.get(f.code)!)),
      },
    ],
  };
}
