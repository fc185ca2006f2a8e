/**
 * The one place identifiers and literals become SQL text. Every table, column,
 * index, database and user name that reaches the server goes through quoteIdent:
 * a name from a schema file or a branch name is user input.
 */

export class InvalidIdentifierError extends Error {}

/** A value the model holds that cannot be written as SQL text without changing the statement. */
export class UnsafeSqlTextError extends Error {}

/** Why MySQL/MariaDB cannot store `name` as an identifier, or undefined when it can. */
export function identifierProblem(name: string): string | undefined {
  if (name.length === 0) return 'An identifier cannot be empty.';
  if (name.includes('\0')) return `The identifier ${JSON.stringify(name)} contains a NUL character, which MySQL does not allow.`;
  if (name.length > 64) return `The identifier ${JSON.stringify(name)} is ${name.length} characters long; MySQL allows at most 64.`;
  if (/\s$/.test(name)) return `The identifier ${JSON.stringify(name)} ends with a space, which MySQL does not allow.`;
  // Names are stored as utf8mb3: emoji and other characters beyond U+FFFF are refused by the server.
  if (/[\uD800-\uDFFF]/.test(name)) return `The identifier ${JSON.stringify(name)} contains a character beyond U+FFFF (such as an emoji), which MySQL and MariaDB do not allow in names.`;
  return undefined;
}

/** `name` in backticks, with embedded backticks doubled. Refuses names MySQL cannot store. */
export function quoteIdent(name: string): string {
  const problem = identifierProblem(name);
  if (problem !== undefined) throw new InvalidIdentifierError(problem);
  return '`' + name.replace(/`/g, '``') + '`';
}

/** `db`.`table` */
export function quoteQualified(database: string, name: string): string {
  return `${quoteIdent(database)}.${quoteIdent(name)}`;
}

/**
 * The one string literal function: any JavaScript string as a single-quoted MySQL literal,
 * for DDL text (defaults, comments, enum values) where placeholders are not allowed.
 * Quotes are doubled, and backslash, NUL, CR and LF are backslash-escaped, so the literal
 * stays one line and holds every character as written under the default sql_mode.
 *
 * Under NO_BACKSLASH_ESCAPES the literal still ends at the same closing quote (a quote in
 * the value is always doubled and no escape sequence contains one), so it can never end
 * early and let text after it run; only the stored value would differ (doubled
 * backslashes). The engine's sessions therefore switch that mode off (db/connection.ts).
 * Connections use utf8mb4, so no multi-byte character can swallow an escaping backslash.
 */
export function quoteString(value: string): string {
  return "'" + value.replace(/[\\'\0\n\r]/g, (c) => LITERAL_ESCAPES[c]) + "'";
}

const LITERAL_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "''", '\0': '\\0', '\n': '\\n', '\r': '\\r' };

/**
 * Run first on every engine session: turns NO_BACKSLASH_ESCAPES off for this session
 * whatever the server's global sql_mode says, so quoteString's escapes and mysql2's
 * client-side placeholder escaping (which also uses backslashes) mean what they say.
 */
export const BACKSLASH_ESCAPES_ON = "SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))";
