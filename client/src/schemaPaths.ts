import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { BranchDiffResult } from './protocol.js';

/** Branch names the server accepts as folder and database suffix. */
export function branchNameProblem(name: string): string | undefined {
  if (!name) return 'Type a branch name.';
  if (name === 'main') return 'main already exists: it is the production schema.';
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(name)) return 'Use lowercase letters, digits, - and _ (at most 40), starting with a letter or digit.';
  return undefined;
}

/** `schema/feature-x/users.sql` -> { branch: 'feature-x', table: 'users' }; undefined outside the schema folder. */
export function locateSchemaFile(root: string, schemaFolder: string, file: string): { branch: string; table: string } | undefined {
  const rel = relative(join(root, schemaFolder), file);
  if (rel.startsWith('..') || rel === '') return undefined;
  const parts = rel.split(sep);
  if (parts.length !== 2 || !parts[1].toLowerCase().endsWith('.sql')) return undefined;
  return { branch: parts[0], table: parts[1].slice(0, -4) };
}

/** The .sql files of one branch folder, sorted; [] when the folder is missing. */
export function tableFiles(root: string, schemaFolder: string, branch: string): string[] {
  const dir = join(root, schemaFolder, branch);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.sql'))
    .sort();
}

/** Whether the workspace has a schema folder with a main branch (the welcome view shows otherwise). */
export function hasSchemaFolder(root: string, schemaFolder: string): boolean {
  return existsSync(join(root, schemaFolder, 'main')) || existsSync(join(root, 'schemabranch.json'));
}

/** The read-only SQL document of a branch diff: each statement with its classification as a comment. */
export function diffDocumentText(d: BranchDiffResult): string {
  const head = [`-- Schema Branch: ${d.branch} vs ${d.base}`, `-- ${d.changes.length} statement${d.changes.length === 1 ? '' : 's'}; ${d.deployable ? 'deployable' : 'NOT deployable (see lint below)'}`];
  for (const f of d.unparsedFiles) head.push(`-- not compared (does not parse): ${f}`);
  for (const l of d.lint) head.push(`-- lint ${l.severity} ${l.code}: ${l.message}`);
  const body = d.changes.map((c) => {
    const why = c.reasons.map((r) => `--   ${r.class}: ${r.message}`);
    const stmt = c.statement.trimEnd().endsWith(';') ? c.statement.trimEnd() : `${c.statement.trimEnd()};`;
    return [`-- ${c.table}: ${c.class}`, ...why, stmt].join('\n');
  });
  if (body.length === 0) body.push(`-- No differences: ${d.branch} matches ${d.base}.`);
  return `${head.join('\n')}\n\n${body.join('\n\n')}\n`;
}

/** The starter files of the "initialise" welcome action. */
export function starterConfig(database: string, schemaFolder: string): string {
  return `${JSON.stringify({ database, schemaDir: schemaFolder }, null, 2)}\n`;
}

/** A database name from a folder name, within the config schema's pattern. */
export function databaseNameFor(folderName: string): string {
  const cleaned = folderName.replace(/[^A-Za-z0-9_$-]/g, '_').slice(0, 48);
  return cleaned || 'app';
}
