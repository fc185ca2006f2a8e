/**
 * The closed lists of bare words that may reach SQL text. A statement is built only from
 * identifiers (quoteIdent), string literals (quoteString) and these words: an engine,
 * character set, collation or row format is a single keyword-like word, so a value that
 * is not one (`InnoDB; DROP DATABASE x; --`, written in backticks or quotes) is refused
 * where it is read (a diagnostic at its range) and again where it is written.
 */
import { canonicalCharset, isCharsetName } from '../schema/charsets.js';
import { tokenize } from '../schema/lexer.js';
import { UnsafeSqlTextError } from './quote.js';

/** Storage engines of MySQL 8 and MariaDB 10.11, lower-case -> the spelling SHOW CREATE TABLE prints. */
const ENGINES: Record<string, string> = {
  innodb: 'InnoDB', myisam: 'MyISAM', aria: 'Aria', memory: 'MEMORY', heap: 'MEMORY', csv: 'CSV', archive: 'ARCHIVE',
  blackhole: 'BLACKHOLE', rocksdb: 'ROCKSDB', federated: 'FEDERATED', federatedx: 'FEDERATED', mrg_myisam: 'MRG_MyISAM',
  merge: 'MRG_MyISAM', sequence: 'SEQUENCE', connect: 'CONNECT', spider: 'SPIDER', s3: 'S3', columnstore: 'Columnstore',
  oqgraph: 'OQGRAPH', mroonga: 'Mroonga', tokudb: 'TokuDB', ndb: 'ndbcluster', ndbcluster: 'ndbcluster',
  performance_schema: 'PERFORMANCE_SCHEMA', example: 'EXAMPLE',
};

const ROW_FORMATS = ['DEFAULT', 'DYNAMIC', 'FIXED', 'COMPRESSED', 'REDUNDANT', 'COMPACT', 'PAGE'];

/**
 * Collations are an open family (MariaDB 10.10+ adds utf8mb4_uca1400_* variants by the
 * dozen), so the list is closed by shape: a known character set, then `_` and ASCII
 * letters, digits and underscores; or `binary`.
 */
const COLLATION_SHAPE = /^([a-z0-9]+)_[a-z0-9_]+$/;

export type WordKind = 'engine' | 'charset' | 'collation' | 'row format';

/** The canonical spelling of `value` as a word of this kind, or undefined when it is not one. */
export function knownWord(kind: WordKind, value: string): string | undefined {
  const lower = value.toLowerCase();
  switch (kind) {
    case 'engine':
      return ENGINES[lower];
    case 'charset':
      return /^[a-z0-9]+$/.test(lower) && isCharsetName(lower) ? lower : undefined;
    case 'collation': {
      if (lower === 'binary') return lower;
      const m = COLLATION_SHAPE.exec(lower);
      return m && isCharsetName(canonicalCharset(m[1])) ? lower : undefined;
    }
    case 'row format':
      return ROW_FORMATS.includes(value.toUpperCase()) ? value.toUpperCase() : undefined;
  }
}

/** What a diagnostic says is allowed for each kind. */
const ALLOWED: Record<WordKind, string> = {
  engine: `one of ${[...new Set(Object.values(ENGINES))].join(', ')}`,
  charset: 'a character set name the server knows, such as utf8mb4, latin1, ascii or binary',
  collation: 'a collation name: a character set, an underscore, then letters, digits and underscores (utf8mb4_general_ci), or binary',
  'row format': `one of ${ROW_FORMATS.join(', ')}`,
};

/** A user-facing sentence that names the refused value and what is allowed instead. */
export function wordProblem(kind: WordKind, value: string): string {
  return `${JSON.stringify(value)} is not ${kind === 'engine' ? 'an' : 'a'} ${kind === 'charset' ? 'character set' : kind} schemabranch can write into SQL; use ${ALLOWED[kind]}.`;
}

/** The word for SQL text; throws when the model holds something else (a model not made by the parser). */
export function sqlWord(kind: WordKind, value: string): string {
  const word = knownWord(kind, value);
  if (word === undefined) throw new UnsafeSqlTextError(wordProblem(kind, value));
  return word;
}

/**
 * Expression text from the model (a DEFAULT, a CHECK, a generated column, a functional key
 * part, partitioning, a table option value) as it goes into a statement. The parser
 * re-renders these from tokens (identifiers in backticks, strings through quoteString), so
 * they hold no comment, no `;` and no unclosed quote; this refuses any text that does, so
 * nothing can end the statement early or hide part of it.
 */
export function sqlExpression(text: string, what: string): string {
  const lex = tokenize(text);
  const bad = lex.problems.length > 0 ? 'an unclosed quote or comment'
    : lex.comments.length > 0 || lex.versionMarks.length > 0 ? 'a comment'
    : lex.tokens.some((t) => t.kind === 'op' && t.value === ';') ? 'a statement separator (;)'
    : undefined;
  if (bad) throw new UnsafeSqlTextError(`The ${what} ${JSON.stringify(text)} contains ${bad} outside a string literal, so it cannot be written into a statement.`);
  return text;
}
