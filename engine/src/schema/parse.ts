import type { Schema, SchemaObject, Table } from './model.js';
import { readCreateObject } from './create-object.js';
import { objectHeadOf } from './object-head.js';
import { duplicateObjects } from './object-checks.js';
import type { SchemaProblem } from './problems.js';
import { readCreateTable } from './create-table.js';
import { duplicateForeignKeyNames, duplicateNamesInTable } from './semantic-checks.js';
import { GRAMMAR_BUDGET_BYTES, GrammarBudget, grammarCheck, type Dialect, type Prepared } from './grammar-check.js';
import { MAX_NESTING, tooDeepAt } from './nesting.js';
import { ReaderContext } from './reader-context.js';
import { defaultServer, type ServerVersion } from './lexer.js';
import { splitStatements, type Statement } from './split.js';
import { LineIndex } from './text.js';

const MAX_PROBLEMS = 500;

export interface ParseOptions {
  /** The grammar to check against; the server's flavour when `server` is given, else MariaDB. */
  dialect?: Dialect;
  /** The server the file is for: which `/*!NNNNN ... *\/` comments are code (default MariaDB 10.11). */
  server?: ServerVersion;
  /**
   * The text is SHOW CREATE TABLE output: the server already accepted it, so the
   * node-sql-parser grammar checks are skipped (faster, and a gap in that grammar cannot
   * turn the server's own DDL into an error).
   */
  fromServer?: boolean;
}

/**
 * Parses one schema file (CREATE TABLE, VIEW, TRIGGER, PROCEDURE, FUNCTION and EVENT
 * statements) into tables, other objects and problems. Never
 * throws: anything it cannot read becomes a problem, and a bad statement does not hide
 * the others. A table whose statement has an error is left out of `tables`.
 */
export function parseSchemaFile(file: string, text: string, opts: ParseOptions = {}): { tables: Table[]; objects: SchemaObject[]; problems: SchemaProblem[] } {
  const tables: Table[] = [];
  const objects: SchemaObject[] = [];
  const problems: SchemaProblem[] = [];
  let lines: LineIndex | undefined;
  try {
    if (typeof text !== 'string') text = String(text);
    lines = new LineIndex(text);
    const split = splitStatements(text, opts.server ?? defaultServer(opts.dialect));
    const budget = new GrammarBudget();
    let stoppedAt: number | undefined;
    for (const st of split.statements) {
      if (problems.length >= MAX_PROBLEMS) {
        stoppedAt = st.start;
        break;
      }
      const read = parseStatement(file, text, lines, st, opts.dialect ?? opts.server?.flavor ?? 'mariadb', problems, opts.fromServer ?? false, budget);
      if (read && 'kind' in read) objects.push(read);
      else if (read) {
        const table = read;
        tables.push(table);
        append(problems, duplicateNamesInTable(table));
      }
    }
    if (problems.length > MAX_PROBLEMS) {
      stoppedAt = problems[MAX_PROBLEMS].range.start.offset;
      problems.length = MAX_PROBLEMS;
    }
    // A binary or foreign file (or one statement with a problem per word) would otherwise bury the editor in diagnostics.
    if (stoppedAt !== undefined) problems.push({ file, range: lines.range(stoppedAt, stoppedAt), kind: 'syntax', code: 'too-many-problems', severity: 'error', message: `Stopped after ${MAX_PROBLEMS} problems: is this really a schema file of CREATE TABLE statements?` });
    if (budget.firstSkipped !== undefined) problems.push(grammarSkipped(file, lines, budget.firstSkipped, budget.skipped));
  } catch (err) {
    // A bug in schemabranch must not take the language server down with it.
    const at = lines ?? new LineIndex('');
    problems.push({
      file,
      range: at.range(0, 0),
      kind: 'unsupported',
      code: 'parser-failure',
      severity: 'error',
      message: `schemabranch's parser failed on this file (${err instanceof Error ? err.message : String(err)}); please report it with the file attached.`,
    });
  }
  return { tables, objects, problems };
}

/** push(...list) passes every element as an argument: a hostile file's 100,000 problems overflow the stack. */
function append(to: SchemaProblem[], list: SchemaProblem[]): void {
  for (const p of list) to.push(p);
}

function grammarSkipped(file: string, lines: LineIndex, at: number, count: number): SchemaProblem {
  return {
    file,
    range: lines.range(at, at),
    kind: 'unsupported',
    code: 'grammar-check-skipped',
    severity: 'warning',
    message: `${count === 1 ? 'One statement or expression' : `${count} statements or expressions`} of this file, from here on, were not checked against the MySQL grammar: schemabranch checks at most ${GRAMMAR_BUDGET_BYTES / 1024} KB of a file that way, to stay fast. This is a limit of schemabranch, not an error in your file; the server checks the rest when you push. Split the file (one table per file) to have all of it checked.`,
  };
}

function parseStatement(file: string, text: string, lines: LineIndex, st: Statement, dialect: Dialect, problems: SchemaProblem[], fromServer: boolean, budget: GrammarBudget): Table | SchemaObject | undefined {
  if (st.lexProblem) {
    const p = st.lexProblem;
    const range = lines.range(p.start, p.start + 1);
    problems.push({
      file,
      range,
      kind: 'syntax',
      code: p.code,
      severity: 'error',
      message: `Syntax error at line ${range.start.line + 1}, column ${range.start.character + 1}: ${p.message}`,
    });
    return undefined;
  }
  if (st.tokens.length === 0) return undefined;
  const deep = tooDeepAt(st.tokens);
  if (deep >= 0) {
    const range = lines.range(st.tokens[deep].start, st.tokens[deep].end);
    problems.push({
      file,
      range,
      kind: 'syntax',
      code: 'nesting-too-deep',
      severity: 'error',
      message: `Nesting deeper than ${MAX_NESTING} levels at line ${range.start.line + 1}, column ${range.start.character + 1}: schemabranch reads at most ${MAX_NESTING} levels of parentheses, CASE and prefix operators such as - and NOT in one statement (servers and parsers run out of stack not far beyond). Flatten the expression; this table is left out until then.`,
    });
    return undefined;
  }
  const ctx = new ReaderContext(file, text, st.tokens, lines, dialect, fromServer, budget);
  const head = objectHeadOf(st.tokens);
  if (head) {
    // Bodies are not checked against node-sql-parser's grammar: the server judges them (db/object-probe.ts).
    const object = readCreateObject(ctx, head, st.nolint);
    append(problems, ctx.problems);
    return ctx.problems.some((p) => p.severity === 'error') ? undefined : object;
  }
  const read = readCreateTable(ctx, st.nolint);
  const ownErrors = ctx.problems.some((p) => p.severity === 'error');
  if (read.isCreateTable && !ownErrors && !fromServer) {
    const syntax = grammarCheck(prepare(st, ctx), text, file, lines, st.tokens, dialect, budget);
    if (syntax) {
      append(problems, ctx.problems);
      problems.push(syntax);
      return syntax.severity === 'error' ? undefined : read.table;
    }
  }
  append(problems, ctx.problems);
  return ownErrors ? undefined : read.table;
}

/**
 * The statement as the grammar check sees it: its tokens joined by single spaces (so
 * comments, line breaks and `/*!50100` marks cannot trip node-sql-parser, whose grammar
 * wants exactly one space inside NOT NULL, PRIMARY KEY...), without the tokens read
 * here, with substitutions. `starts[k]` is where statement token `kept[k]` begins in it.
 */
function prepare(st: Statement, ctx: ReaderContext): Prepared {
  const hidden = new Uint8Array(st.tokens.length);
  for (const [a, b] of ctx.blanks) hidden.fill(1, a, b);
  let text = '';
  const starts: number[] = [];
  const kept: number[] = [];
  st.tokens.forEach((t, k) => {
    if (hidden[k]) return;
    if (text) text += ' ';
    starts.push(text.length);
    kept.push(k);
    text += ctx.substitutions.get(k) ?? ctx.text.slice(t.start, t.end);
  });
  return { text, starts, kept };
}

/**
 * Parses a branch: every file, then checks across files (a table defined twice).
 * Tables keep file order.
 */
export function parseSchemaFiles(files: Array<{ file: string; text: string }>, opts: ParseOptions = {}): { schema: Schema; problems: SchemaProblem[] } {
  const tables: Table[] = [];
  const objects: SchemaObject[] = [];
  const problems: SchemaProblem[] = [];
  const seen = new Map<string, Table>();
  for (const f of files) {
    const r = parseSchemaFile(f.file, f.text, opts);
    append(problems, r.problems);
    for (const o of r.objects) objects.push(o);
    for (const t of r.tables) {
      const key = t.name.toLowerCase();
      const first = seen.get(key);
      if (first) {
        const where = first.source ? `${first.source.file}:${first.source.range.start.line + 1}` : 'another file';
        const range = t.nameSource?.range ?? t.source?.range ?? { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } };
        problems.push({ file: f.file, range, kind: 'semantic', code: 'duplicate-table', severity: 'error', message: `Table ${t.name} is already defined at ${where}; each table is defined once per branch. Remove one of the definitions.` });
        continue;
      }
      seen.set(key, t);
      tables.push(t);
    }
  }
  append(problems, duplicateForeignKeyNames(tables));
  const kept = duplicateObjects(tables, objects, problems);
  return { schema: kept.length > 0 ? { tables, objects: kept } : { tables }, problems };
}
