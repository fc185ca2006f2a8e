import type { SourceRef, Table } from '../../schema/model.js';
import type { LintContext, LintRule } from '../rule.js';
import { fileText, rangeAt, refOf, tableRef } from '../source.js';
import { DEFAULT_CHARSETS, type LintFix, type Violation } from '../violation.js';

/** MySQL 8 and MariaDB 10.6+ both call the 3-byte charset utf8mb3 and accept `utf8` as its alias. */
export function normalizeCharset(name: string): string {
  const lower = name.toLowerCase();
  return lower === 'utf8' ? 'utf8mb3' : lower;
}

export function charsetOfCollation(collation: string): string {
  return normalizeCharset(collation.toLowerCase().split('_')[0]);
}

/** The utf8mb4 collation that keeps the old one's comparison rules where both servers have it. */
export function utf8mb4CollationFor(collation: string): string {
  const suffix = collation.toLowerCase().split('_').slice(1).join('_');
  const kept = ['bin', 'general_ci', 'unicode_ci', 'unicode_520_ci', 'general_nopad_ci', 'nopad_bin', 'unicode_nopad_ci', 'unicode_520_nopad_ci'];
  return kept.includes(suffix) ? `utf8mb4_${suffix}` : 'utf8mb4_general_ci';
}

const CHARSET_CLAUSE = /\b(?:CHARACTER\s+SET|CHARSET)(\s*=?\s*)(['"`]?)([A-Za-z0-9_]+)\2/gi;
const COLLATE_CLAUSE = /\bCOLLATE(\s*=?\s*)(['"`]?)([A-Za-z0-9_]+)\2/gi;

/** Edits that rewrite the charset and collation names found in [from, to) of the file. */
function rewriteEdits(text: string, file: string, from: number, to: number): LintFix['edits'] {
  const edits: LintFix['edits'] = [];
  const slice = text.slice(from, to);
  for (const [re, replace] of [
    [CHARSET_CLAUSE, () => 'utf8mb4'],
    [COLLATE_CLAUSE, (old: string) => utf8mb4CollationFor(old)],
  ] as Array<[RegExp, (old: string) => string]>) {
    re.lastIndex = 0;
    for (let m = re.exec(slice); m; m = re.exec(slice)) {
      const name = m[3];
      const nameStart = from + m.index + m[0].length - name.length - m[2].length;
      const newText = replace(name);
      if (newText.toLowerCase() !== name.toLowerCase()) edits.push({ file, range: rangeAt(text, nameStart, nameStart + name.length), newText });
    }
  }
  return edits;
}

function columnFix(ctx: LintContext, ref: SourceRef | undefined, what: string): LintFix | undefined {
  const text = fileText(ctx.sources, ref);
  if (text === undefined || !ref) return undefined;
  const edits = rewriteEdits(text, ref.file, ref.range.start.offset, ref.range.end.offset);
  return edits.length ? { title: `Use utf8mb4 for ${what}`, edits } : undefined;
}

/** Table options come after the body, so only look past the last element (or the table name). */
function tableFix(ctx: LintContext, table: Table): LintFix | undefined {
  const stmt = table.source;
  const text = fileText(ctx.sources, stmt);
  if (text === undefined || !stmt) return undefined;
  const ends = [...table.columns, ...table.indexes, ...table.foreignKeys, ...table.checks].map((e) => e.source?.range.end.offset ?? 0);
  const from = Math.max(stmt.range.start.offset, table.nameSource?.range.end.offset ?? 0, ...ends);
  const edits = rewriteEdits(text, stmt.file, from, stmt.range.end.offset);
  return edits.length ? { title: `Use utf8mb4 for table ${table.name}`, edits } : undefined;
}

export const charsetAllowlist: LintRule = {
  code: 'charset-allowlist',
  name: 'Character set outside the allowlist',
  description: 'Tables and columns should use an allowed character set (default utf8mb4, binary, ascii); utf8mb3 and latin1 cannot store every character.',
  defaultSeverity: 'warning',
  scope: 'schema',
  lint(ctx) {
    const allowed = new Set((ctx.config.charsets ?? DEFAULT_CHARSETS).map(normalizeCharset));
    const list = [...allowed].join(', ');
    const out: Violation[] = [];
    for (const table of ctx.schema?.tables ?? []) {
      const tableCharset = table.options.charset ?? (table.options.collation ? charsetOfCollation(table.options.collation) : undefined);
      if (tableCharset && !allowed.has(normalizeCharset(tableCharset))) {
        out.push({
          code: 'charset-allowlist',
          severity: 'warning',
          message: `Table \`${table.name}\` uses character set ${tableCharset}, which is not in the allowlist (${list}). Use DEFAULT CHARSET=utf8mb4 so every character can be stored.`,
          suggestion: 'DEFAULT CHARSET=utf8mb4',
          table: table.name,
          source: tableRef(table),
          fix: tableFix(ctx, table),
        });
      }
      for (const column of table.columns) {
        const charset = column.charset ?? (column.collation ? charsetOfCollation(column.collation) : undefined);
        if (!charset || allowed.has(normalizeCharset(charset))) continue;
        out.push({
          code: 'charset-allowlist',
          severity: 'warning',
          message: `Column \`${table.name}\`.\`${column.name}\` uses character set ${charset}, which is not in the allowlist (${list}). Use CHARACTER SET utf8mb4 (or drop the clause to inherit the table's).`,
          suggestion: 'CHARACTER SET utf8mb4',
          table: table.name,
          column: column.name,
          source: refOf(table, column),
          fix: columnFix(ctx, column.source, `column ${column.name}`),
        });
      }
    }
    return out;
  },
};
