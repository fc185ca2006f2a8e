import type { Table } from './model.js';
import { readTableOptions } from './table-options.js';
import { readColumn } from './column-def.js';
import { isKeyDefinition, readKey } from './key-def.js';
import type { ReaderContext } from './reader-context.js';

export interface CreateTableRead {
  /** Undefined when the statement is not a CREATE TABLE this reader could follow. */
  table?: Table;
  /** False when the statement is something else (the problem says what). */
  isCreateTable: boolean;
}

/**
 * Reads one CREATE TABLE statement into the model, recording exact ranges, and marks
 * what the grammar check must not see. Statement-level problems go to ctx.problems.
 */
export function readCreateTable(ctx: ReaderContext, nolint: string[]): CreateTableRead {
  const n = ctx.tokens.length;
  let i = 0;
  if (ctx.kw(0) !== 'CREATE') return notCreateTable(ctx);
  i = 1;
  if (ctx.kw(1) === 'OR' && ctx.kw(2) === 'REPLACE') {
    ctx.blank(1, 3);
    i = 3;
  }
  if (ctx.kw(i) === 'TEMPORARY') {
    semantic(ctx, 0, i + 1, 'temporary-table', 'A TEMPORARY table does not belong in a schema file: it disappears with the session. Remove TEMPORARY.');
    return { isCreateTable: true };
  }
  if (ctx.kw(i) !== 'TABLE') return notCreateTable(ctx);
  i++;
  if (ctx.kw(i) === 'IF' && ctx.kw(i + 1) === 'NOT' && ctx.kw(i + 2) === 'EXISTS') i += 3;
  let nameAt = i;
  let name = ctx.identifier(i);
  if (name === undefined) {
    ctx.syntax(i, 'expected a table name after CREATE TABLE.');
    return { isCreateTable: true };
  }
  if (ctx.isOp(i + 1, '.') && ctx.name(i + 2) !== undefined) {
    semantic(ctx, i, i + 3, 'qualified-table-name', `Write the table name without a database (${name}.): a branch decides which database the table lives in.`, 'warning');
    nameAt = i + 2;
    name = ctx.identifier(nameAt) ?? name;
  }
  i = nameAt + 1;
  if (ctx.kw(i) === 'LIKE' || (ctx.isOp(i, '(') && ctx.kw(i + 1) === 'LIKE')) {
    semantic(ctx, 0, n, 'create-table-like', 'CREATE TABLE ... LIKE does not say what the table looks like: write the full definition in the schema file.');
    return { isCreateTable: true };
  }
  if (ctx.kw(i) === 'AS' || ctx.kw(i) === 'SELECT') {
    semantic(ctx, 0, n, 'create-table-select', 'CREATE TABLE ... SELECT does not belong in a schema file: write the full column definitions.');
    return { isCreateTable: true };
  }
  const table: Table = {
    name,
    columns: [],
    indexes: [],
    foreignKeys: [],
    checks: [],
    options: {},
    nolint,
    source: ctx.ref(0, n),
    nameSource: ctx.ref(nameAt, nameAt + 1),
  };
  if (!ctx.isOp(i, '(')) {
    ctx.syntax(i, "expected '(' and the column definitions after the table name.", ['(']);
    return { isCreateTable: true };
  }
  const close = ctx.close(i, n);
  if (close < 0) {
    ctx.syntax(n - 1, "the column list is never closed with ')'.", [')']);
    return { isCreateTable: true };
  }
  const deferred: Array<(columns: ReadonlySet<string>) => void> = [];
  const periodColumns: string[] = [];
  for (const [a, b] of ctx.splitCommas(i + 1, close)) {
    if (a >= b) {
      ctx.syntax(a, 'expected a column or key definition here.');
      return { isCreateTable: true };
    }
    if (ctx.kw(a) === 'PERIOD' && ctx.kw(a + 1) === 'FOR') {
      ctx.unsupported(a, b, 'unsupported-period', 'A PERIOD FOR clause', 'it is left out of comparisons.');
      ctx.blank(a - 1, b);
      // The server makes a period's start and end columns NOT NULL; the model says so too.
      periodColumns.push(...ctx.tokens.slice(a, b).filter((t) => t.kind === 'ident' || t.kind === 'word').map((t) => t.value.toLowerCase()));
      continue;
    }
    if (isKeyDefinition(ctx, a)) {
      const key = readKey(ctx, a, b);
      if (!key) return { isCreateTable: true };
      if ('index' in key) table.indexes.push(key.index);
      else if ('foreignKey' in key) table.foreignKeys.push(key.foreignKey);
      else {
        table.checks.push(key.check);
        deferred.push(key.deferred);
      }
      continue;
    }
    const col = readColumn(ctx, a, b);
    if (!col) return { isCreateTable: true };
    table.columns.push(col.column);
    table.indexes.push(...col.indexes);
    table.foreignKeys.push(...col.foreignKeys);
    table.checks.push(...col.checks);
    deferred.push(...col.deferred);
  }
  for (const c of table.columns) if (periodColumns.includes(c.name.toLowerCase())) c.nullable = false;
  const columns = new Set(table.columns.map((c) => c.name.toLowerCase()));
  for (const d of [...deferred, ...ctx.later]) d(columns);
  // A primary key listed first reads best and is what SHOW CREATE TABLE prints.
  if (!readTableOptions(ctx, close + 1, n, table.options)) return { isCreateTable: true };
  return { table, isCreateTable: true };
}

const STATEMENTS = new Set(['ALTER', 'ANALYZE', 'BEGIN', 'CALL', 'CHECK', 'COMMIT', 'CREATE', 'DELETE', 'DELIMITER', 'DESCRIBE', 'DO', 'DROP', 'EXPLAIN', 'FLUSH', 'GRANT', 'INSERT', 'LOAD', 'LOCK', 'OPTIMIZE', 'RENAME', 'REPAIR', 'REPLACE', 'REVOKE', 'ROLLBACK', 'SELECT', 'SET', 'SHOW', 'START', 'TRUNCATE', 'UNLOCK', 'UPDATE', 'USE', 'WITH']);
const CREATABLE = new Set(['AGGREGATE', 'ALGORITHM', 'DATABASE', 'DEFINER', 'EVENT', 'FULLTEXT', 'FUNCTION', 'INDEX', 'LOGFILE', 'OR', 'PACKAGE', 'PROCEDURE', 'RESOURCE', 'ROLE', 'SCHEMA', 'SEQUENCE', 'SERVER', 'SPATIAL', 'SQL', 'TABLESPACE', 'TRIGGER', 'UNDO', 'UNIQUE', 'USER', 'VIEW']);

function notCreateTable(ctx: ReaderContext): CreateTableRead {
  // A misspelt keyword is a syntax error at that word; a well-formed other statement is misplaced.
  const first = ctx.kw(0);
  const badAt = !STATEMENTS.has(first) ? 0 : first === 'CREATE' && !CREATABLE.has(ctx.kw(ctx.kw(1) === 'OR' ? 3 : 1)) ? (ctx.kw(1) === 'OR' ? 3 : 1) : -1;
  if (badAt >= 0) {
    ctx.syntax(badAt, badAt === 0 ? 'expected CREATE TABLE at the start of the statement.' : 'expected TABLE after CREATE.', badAt === 0 ? ['CREATE'] : ['TABLE']);
    return { isCreateTable: false };
  }
  const words = ctx.tokens.slice(0, 3).map((t) => t.value).join(' ');
  // Dumps start with SET NAMES / SET FOREIGN_KEY_CHECKS: harmless, so only a warning.
  const severity = first === 'SET' ? 'warning' : 'error';
  semantic(ctx, 0, Math.min(ctx.tokens.length, 3), 'not-create-table', `A schema file holds CREATE TABLE, VIEW, TRIGGER, PROCEDURE, FUNCTION and EVENT statements only; found '${words}'. Move other statements out of the schema folder.`, severity);
  return { isCreateTable: false };
}

function semantic(ctx: ReaderContext, from: number, to: number, code: string, message: string, severity: 'error' | 'warning' = 'error'): void {
  ctx.problems.push({ file: ctx.file, range: ctx.range(from, to), kind: 'semantic', code, severity, message });
}
