/**
 * `diff <branch> --format markdown`: a pull-request comment with the
 * statements (classified, in a sql block) and the deploy request's lint
 * verdict. Table and column names come from the repository, so everything
 * outside code is escaped: a name cannot add links, HTML or @-mentions.
 */
import type { SchemaChange } from '../../../engine/src/diff/change.js';
import type { Violation } from '../../../engine/src/lint/index.js';
import { changeLines, plural } from '../format.js';

export interface MarkdownDiff {
  branch: string;
  /** Where main's schema came from, in words, names in backticks: "main (`shop`)". */
  against: string;
  changes: SchemaChange[];
  /** The verdict's findings: lintDeployRequest() over the branch and its changes. */
  violations: Violation[];
}

/** Markdown text outside code spans: backslash before what could start markup (links need `[`, so parentheses stay), and a zero-width break after `@`. */
export function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]#+<>|~]/g, (c) => `\\${c}`).replace(/@/g, '@\u200b');
}

/**
 * Text whose backtick spans are kept as code (rule messages quote names that
 * way) and the rest escaped. An unbalanced backtick is escaped like any other
 * character, so it cannot open a span that swallows what follows.
 */
export function inlineText(text: string): string {
  const parts = text.split('`');
  const closed = parts.length % 2 === 1;
  return parts
    .map((part, i) => {
      const isCode = i % 2 === 1 && (closed || i < parts.length - 1);
      if (isCode) return part === '' ? '\\`\\`' : `\`${part}\``;
      return (i % 2 === 1 ? '\\`' : '') + escapeText(part);
    })
    .join('');
}

/** A fence longer than any run of backticks in `body`, so the statements cannot close it early. */
export function fenced(lang: string, body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${body}\n${fence}`;
}

const MARK: Record<Violation['severity'], string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };

function classCounts(changes: SchemaChange[]): string {
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.class, (counts.get(c.class) ?? 0) + 1);
  return [...counts].map(([cls, n]) => `${n} ${cls}`).join(', ');
}

export function diffMarkdown(d: MarkdownDiff): string {
  const lines = [`### schemabranch: \`${d.branch.replace(/`/g, '')}\` vs ${inlineText(d.against)}`, ''];
  if (d.changes.length === 0) {
    lines.push('No changes: deploying this branch would run nothing.');
    return lines.join('\n');
  }
  lines.push(`${plural(d.changes.length, 'statement')}: ${classCounts(d.changes)}.`, '', fenced('sql', changeLines(d.changes).join('\n')), '');
  const errors = d.violations.filter((v) => v.severity === 'error').length;
  const warnings = d.violations.filter((v) => v.severity === 'warning').length;
  const verdict = errors === 0 ? '**Lint verdict: deployable**' : '**Lint verdict: not deployable**';
  lines.push(`${verdict} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`);
  if (d.violations.length > 0) lines.push('');
  for (const v of d.violations) {
    const table = v.table !== undefined ? ` on \`${v.table.replace(/`/g, '')}\`` : '';
    lines.push(`- ${MARK[v.severity]} ${v.severity} [\`${v.code}\`]${table}: ${inlineText(v.message.replace(/\s*\n\s*/g, ' '))}`);
  }
  return lines.join('\n');
}
