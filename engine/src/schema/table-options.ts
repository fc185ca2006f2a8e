import { identifierProblem, quoteIdent, quoteString } from '../sql/quote.js';
import { knownWord, wordProblem, type WordKind } from '../sql/words.js';
import { canonicalExpression } from './expression.js';
import type { TableOptions } from './model.js';
import type { ReaderContext } from './reader-context.js';

/** Options MySQL 8 or MariaDB 10.11 know (engine-defined ones aside). */
const KNOWN = new Set([
  'ENGINE', 'TYPE', 'AUTO_INCREMENT', 'AVG_ROW_LENGTH', 'CHARSET', 'CHECKSUM', 'TABLE_CHECKSUM', 'COLLATE', 'COMMENT', 'COMPRESSION',
  'CONNECTION', 'DATA DIRECTORY', 'INDEX DIRECTORY', 'DELAY_KEY_WRITE', 'ENCRYPTED', 'ENCRYPTION', 'ENCRYPTION_KEY_ID', 'ENGINE_ATTRIBUTE',
  'SECONDARY_ENGINE', 'SECONDARY_ENGINE_ATTRIBUTE', 'IETF_QUOTES', 'INSERT_METHOD', 'KEY_BLOCK_SIZE', 'MAX_ROWS', 'MIN_ROWS', 'PACK_KEYS',
  'PAGE_CHECKSUM', 'PAGE_COMPRESSED', 'PAGE_COMPRESSION_LEVEL', 'PASSWORD', 'ROW_FORMAT', 'SEQUENCE', 'STATS_AUTO_RECALC',
  'STATS_PERSISTENT', 'STATS_SAMPLE_PAGES', 'TABLESPACE', 'TRANSACTIONAL', 'UNION', 'AUTOEXTEND_SIZE', 'STORAGE',
]);
const STRING_VALUED = new Set(['COMMENT', 'CONNECTION', 'DATA DIRECTORY', 'INDEX DIRECTORY', 'PASSWORD', 'ENGINE_ATTRIBUTE', 'SECONDARY_ENGINE_ATTRIBUTE', 'COMPRESSION', 'ENCRYPTION']);

/**
 * Table options after the column list. Hidden from the grammar check (node-sql-parser
 * knows only some of them), so they are checked here. Returns false after a syntax error.
 */
export function readTableOptions(ctx: ReaderContext, from: number, to: number, options: TableOptions): boolean {
  ctx.blank(from, to);
  let i = from;
  while (i < to) {
    if (ctx.isOp(i, ',')) {
      i++;
      continue;
    }
    let k = ctx.kw(i);
    if (k === 'PARTITION' && ctx.kw(i + 1) === 'BY') {
      // Re-rendered from its tokens, never copied: comments and quoting cannot reach the server as written.
      options.partitioning = canonicalExpression(ctx.tokens, i, to, new Set());
      ctx.unsupported(i, to, 'unsupported-partition', 'PARTITION BY', 'the partitioning clause is kept (re-written from its tokens, comments left out) but not compared in detail; review partition changes by hand.');
      return true;
    }
    if (k === 'WITH' && ctx.kw(i + 1) === 'SYSTEM' && ctx.kw(i + 2) === 'VERSIONING') {
      ctx.unsupported(i, i + 3, 'unsupported-system-versioning', 'WITH SYSTEM VERSIONING', 'it is left out of comparisons.');
      i += 3;
      continue;
    }
    if (k === 'DEFAULT') i++, (k = ctx.kw(i));
    const keyAt = i;
    let key = k;
    if ((k === 'CHARACTER' || k === 'CHAR') && ctx.kw(i + 1) === 'SET') key = 'CHARSET', i++;
    else if ((k === 'DATA' || k === 'INDEX') && ctx.kw(i + 1) === 'DIRECTORY') key = `${k} DIRECTORY`, i++;
    else if (k === 'START' && ctx.kw(i + 1) === 'TRANSACTION') {
      i += 2; // MySQL 8.0.21 atomic CREATE ... SELECT: not a table property
      continue;
    }
    if (key === '' || (!KNOWN.has(key) && (ctx.isReserved(key) || !/^[A-Z][A-Z0-9_]*$/.test(key)))) {
      ctx.syntax(i, `expected a table option, found '${ctx.tokens[i].value}'.`);
      return false;
    }
    i++;
    if (ctx.isOp(i, '=')) i++;
    const v = ctx.tokens[i];
    if (!v || i >= to || (v.kind === 'op' && v.value !== '(') || badValue(ctx, key, i)) {
      ctx.syntax(Math.min(i, to - 1), STRING_VALUED.has(key) ? `expected a quoted string for ${key}.` : `expected a value for ${key}.`);
      return false;
    }
    let text = v.value;
    if (v.kind === 'op') {
      // UNION=(t1, t2) of a MERGE table
      const close = ctx.close(i, to);
      if (close < 0) {
        ctx.syntax(i, 'this parenthesis is never closed.');
        return false;
      }
      const names = tableList(ctx, i + 1, close);
      if (names === undefined) return false;
      text = names;
      i = close + 1;
    } else i++;
    const word = WORDS[key];
    if (word !== undefined && v.kind !== 'op') {
      const known = knownWord(word, text);
      if (known === undefined) {
        ctx.syntax(i - 1, wordProblem(word, text));
        return false;
      }
      text = known;
    }
    switch (key) {
      case 'ENGINE':
      case 'TYPE':
        options.engine = text;
        break;
      case 'CHARSET':
        options.charset = text.toLowerCase();
        break;
      case 'COLLATE':
        options.collation = text.toLowerCase();
        break;
      case 'COMMENT':
        options.comment = ctx.storedText(i - 1, 'table comment');
        break;
      case 'ROW_FORMAT':
        options.rowFormat = text.toUpperCase();
        break;
      case 'AUTO_INCREMENT':
        break; // a counter, not part of the schema
      default: {
        if (!KNOWN.has(key)) {
          ctx.problems.push({
            file: ctx.file,
            range: ctx.range(keyAt, keyAt + 1),
            kind: 'semantic',
            code: 'unknown-table-option',
            severity: 'warning',
            message: `${ctx.tokens[keyAt].value} is not a table option MySQL or MariaDB knows; the server will refuse it unless the table's engine defines it. Check the spelling.`,
          });
        }
        const value = optionValue(ctx, i - 1, text);
        if (value === undefined) return false;
        options.other = { ...options.other, [key]: value };
      }
    }
  }
  return true;
}

const NUMERIC = new Set(['AUTO_INCREMENT', 'AVG_ROW_LENGTH', 'CHECKSUM', 'TABLE_CHECKSUM', 'DELAY_KEY_WRITE', 'KEY_BLOCK_SIZE', 'MAX_ROWS', 'MIN_ROWS', 'PACK_KEYS', 'STATS_AUTO_RECALC', 'STATS_PERSISTENT', 'STATS_SAMPLE_PAGES', 'PAGE_CHECKSUM', 'PAGE_COMPRESSED', 'PAGE_COMPRESSION_LEVEL', 'TRANSACTIONAL', 'ENCRYPTION_KEY_ID', 'SEQUENCE']);
const NAMED = new Set(['ENGINE', 'TYPE', 'CHARSET', 'COLLATE', 'ROW_FORMAT', 'INSERT_METHOD', 'TABLESPACE', 'SECONDARY_ENGINE']);

/** Values that cannot stand for this option: a reserved word (DEFAULT aside), a non-string where text is required, a word where a number is. */
function badValue(ctx: ReaderContext, key: string, i: number): boolean {
  const v = ctx.tokens[i];
  if (STRING_VALUED.has(key) && v.kind !== 'string') return true;
  if (NUMERIC.has(key) && v.kind !== 'number' && ctx.kw(i) !== 'DEFAULT') return true;
  if (NAMED.has(key) && v.kind !== 'word' && v.kind !== 'ident' && v.kind !== 'string') return true;
  if (v.kind === 'word' && ctx.isReserved(v.value)) {
    const upper = v.value.toUpperCase();
    return !(upper === 'DEFAULT' && key !== 'ENGINE' && key !== 'CHARSET' && key !== 'COLLATE') && !(upper === 'BINARY' && key === 'CHARSET');
  }
  return false;
}

/** Options whose value is a word from a closed list. */
const WORDS: Record<string, WordKind> = { ENGINE: 'engine', TYPE: 'engine', CHARSET: 'charset', COLLATE: 'collation', ROW_FORMAT: 'row format' };

/**
 * Any other option's value as SQL text: a string through quoteString, a name in backticks
 * through quoteIdent, a number or an ASCII keyword as written, a UNION list as built by
 * tableList. Anything else is reported at token `at` (undefined then).
 */
function optionValue(ctx: ReaderContext, at: number, text: string): string | undefined {
  const v = ctx.tokens[at];
  if (v.kind === 'op') return text;
  if (v.kind === 'string') return quoteString(v.value);
  // A plain word reads the same bare or in backticks (MySQL prints TABLESPACE `innodb_system`).
  if (v.kind === 'number' || ((v.kind === 'word' || v.kind === 'ident') && /^[A-Za-z0-9_]+$/.test(v.value))) return v.value.toUpperCase();
  if (v.kind === 'ident' && identifierProblem(v.value) === undefined) return quoteIdent(v.value);
  ctx.syntax(at, `${JSON.stringify(v.value)} is not a value schemabranch can write for this table option; use a number, a quoted string or a plain word.`);
  return undefined;
}

/** `(t1,t2)` for UNION=(t1, t2): table names only, each through quoteIdent. */
function tableList(ctx: ReaderContext, from: number, close: number): string | undefined {
  const names: string[] = [];
  for (const [a, b] of ctx.splitCommas(from, close)) {
    const name = b - a === 1 ? ctx.identifier(a) : undefined;
    if (name === undefined) {
      const found = b > a ? ctx.text.slice(ctx.tokens[a].start, ctx.tokens[b - 1].end) : '';
      ctx.syntax(Math.min(a, close), found ? `${JSON.stringify(found)} is not a table name; UNION=(...) lists table names, bare or in backticks.` : 'expected a table name in the UNION list.');
      return undefined;
    }
    names.push(quoteIdent(name));
  }
  return '(' + names.join(',') + ')';
}
