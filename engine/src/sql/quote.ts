/**
 * The one place identifiers and literals become SQL text. Every table, column,
 * index, database and user name that reaches the server goes through quoteIdent:
 * a name from a schema file or a branch name is user input.
 */

export class InvalidIdentifierError extends Error {}

/** `name` in backticks, with embedded backticks doubled. Refuses names MySQL cannot store. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new InvalidIdentifierError('An identifier cannot be empty.');
  if (name.includes('\0')) throw new InvalidIdentifierError(`The identifier ${JSON.stringify(name)} contains a NUL character, which MySQL does not allow.`);
  if (name.length > 64) throw new InvalidIdentifierError(`The identifier ${JSON.stringify(name)} is ${name.length} characters long; MySQL allows at most 64.`);
  if (/\s$/.test(name)) throw new InvalidIdentifierError(`The identifier ${JSON.stringify(name)} ends with a space, which MySQL does not allow.`);
  return '`' + name.replace(/`/g, '``') + '`';
}

/** `db`.`table` */
export function quoteQualified(database: string, name: string): string {
  return `${quoteIdent(database)}.${quoteIdent(name)}`;
}

/**
 * A string literal for DDL text (defaults, comments, enum values), where
 * placeholders are not allowed. Escapes backslash and quote so the text
 * survives both NO_BACKSLASH_ESCAPES settings.
 */
export function quoteString(value: string): string {
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0').replace(/\n/g, '\\n').replace(/\r/g, '\\r') + "'";
}
