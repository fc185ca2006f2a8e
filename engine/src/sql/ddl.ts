/**
 * Pure SQL generation from the schema model: the canonical text the engine
 * writes (`branch pull`, the language server's formatting) and the pieces the
 * diff assembles into ALTER TABLE clauses. Nothing here touches a server.
 *
 * Canonical CREATE TABLE: one column / index / constraint per line, two-space
 * indent, backtick-quoted identifiers (quoteIdent), string literals via
 * quoteString, no trailing semicolon (callers that write files add `;`).
 */
import type { Check, Column, ColumnType, ForeignKey, Index, IndexPart, Table, TableOptions } from '../schema/model.js';
import { quoteIdent, quoteString, UnsafeSqlTextError } from './quote.js';
import { sqlExpression, sqlWord } from './words.js';

/** `varchar(255)`, `decimal(10,2) unsigned`, `enum('a','b')`. */
export function renderColumnType(type: ColumnType): string {
  // The parser takes the type name from a closed list and the sizes from number tokens; a model from elsewhere must match.
  if (!/^[a-z][a-z0-9]*( [a-z]+)?$/.test(type.base)) throw new UnsafeSqlTextError(`${JSON.stringify(type.base)} is not a data type name.`);
  let text = type.base;
  if (type.values !== undefined) {
    text += '(' + type.values.map(quoteString).join(',') + ')';
  } else if (type.length !== undefined) {
    text += type.scale !== undefined ? `(${size(type.length)},${size(type.scale)})` : `(${size(type.length)})`;
  }
  if (type.unsigned) text += ' unsigned';
  if (type.zerofill) text += ' zerofill';
  return text;
}

export type Flavor = 'mariadb' | 'mysql';

/**
 * `` `name` type [CHARACTER SET x] [COLLATE y] [GENERATED ALWAYS AS (e) STORED|VIRTUAL]
 * [NOT NULL|NULL] [INVISIBLE] [DEFAULT d] [ON UPDATE u] [AUTO_INCREMENT] [COMMENT 'c'] [CHECK (e)...] ``
 *
 * Nullable columns carry an explicit NULL only for TIMESTAMP (where servers with
 * explicit_defaults_for_timestamp=OFF would otherwise make them NOT NULL) and
 * never for generated columns (MariaDB rejects NULL/NOT NULL on them).
 * `columnChecks` are the column-level CHECKs MariaDB keeps inside the column
 * definition (Check.column): a MODIFY COLUMN without them drops them, and
 * MariaDB only accepts them last.
 */
export function renderColumnDefinition(col: Column, columnChecks: Check[] = []): string {
  const parts = [quoteIdent(col.name), renderColumnType(col.type)];
  if (col.charset !== undefined) parts.push(`CHARACTER SET ${sqlWord('charset', col.charset)}`);
  if (col.collation !== undefined) parts.push(`COLLATE ${sqlWord('collation', col.collation)}`);
  if (col.generated !== undefined) {
    parts.push(`GENERATED ALWAYS AS (${sqlExpression(col.generated.expression, 'generated column expression')}) ${col.generated.stored ? 'STORED' : 'VIRTUAL'}`);
  } else if (!col.nullable) {
    parts.push('NOT NULL');
  } else if (col.type.base === 'timestamp') {
    parts.push('NULL');
  }
  if (col.invisible) parts.push('INVISIBLE');
  if (col.generated === undefined) {
    if (col.default !== undefined) parts.push(`DEFAULT ${sqlExpression(col.default, 'default')}`);
    if (col.onUpdate !== undefined) parts.push(`ON UPDATE ${sqlExpression(col.onUpdate, 'ON UPDATE value')}`);
    if (col.autoIncrement) parts.push('AUTO_INCREMENT');
  }
  if (col.comment !== undefined) parts.push(`COMMENT ${quoteString(col.comment)}`);
  for (const chk of columnChecks) parts.push(`CHECK (${sqlExpression(chk.expression, 'CHECK expression')})`);
  return parts.join(' ');
}

/** The column-level CHECKs of `column` in `table`. */
export function checksOfColumn(table: Table, column: string): Check[] {
  const lower = column.toLowerCase();
  return table.checks.filter((c) => c.column !== undefined && c.column.toLowerCase() === lower);
}

function renderIndexPart(part: IndexPart): string {
  let text = part.expression !== undefined ? `(${sqlExpression(part.expression, 'key part expression')})` : quoteIdent(part.column);
  if (part.length !== undefined) text += `(${part.length})`;
  if (part.descending) text += ' DESC';
  return text;
}

const INDEX_KEYWORD: Record<Index['kind'], string> = {
  primary: 'PRIMARY KEY',
  unique: 'UNIQUE KEY',
  index: 'KEY',
  fulltext: 'FULLTEXT KEY',
  spatial: 'SPATIAL KEY',
};

/**
 * `PRIMARY KEY (`id`)`, `UNIQUE KEY `u` (`a`,`b`(10) DESC) USING BTREE COMMENT 'c'`, `KEY (`a`)` when unnamed.
 * An invisible index is `IGNORED` on MariaDB and `INVISIBLE` on MySQL.
 */
export function renderIndexDefinition(idx: Index, flavor: Flavor = 'mariadb'): string {
  const parts = [INDEX_KEYWORD[idx.kind]];
  // An unnamed key (as a file writes it, before normalization) stays unnamed: the server names it.
  if (idx.kind !== 'primary' && idx.name) parts.push(quoteIdent(idx.name));
  parts.push('(' + idx.parts.map(renderIndexPart).join(',') + ')');
  if (idx.using !== undefined) parts.push(`USING ${closed(INDEX_TYPES, idx.using, 'index type')}`);
  if (idx.comment !== undefined) parts.push(`COMMENT ${quoteString(idx.comment)}`);
  if (idx.invisible) parts.push(flavor === 'mysql' ? 'INVISIBLE' : 'IGNORED');
  return parts.join(' ');
}

/** `CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `t` (`id`) ON DELETE CASCADE ON UPDATE RESTRICT`; no CONSTRAINT part when unnamed. */
export function renderForeignKey(fk: ForeignKey): string {
  const cols = (names: string[]): string => '(' + names.map(quoteIdent).join(',') + ')';
  const constraint = fk.name ? `CONSTRAINT ${quoteIdent(fk.name)} ` : '';
  let text = `${constraint}FOREIGN KEY ${cols(fk.columns)} REFERENCES ${quoteIdent(fk.refTable)} ${cols(fk.refColumns)}`;
  if (fk.onDelete !== undefined) text += ` ON DELETE ${closed(FK_ACTIONS, fk.onDelete, 'foreign key action')}`;
  if (fk.onUpdate !== undefined) text += ` ON UPDATE ${closed(FK_ACTIONS, fk.onUpdate, 'foreign key action')}`;
  return text;
}

/** `CONSTRAINT `name` CHECK (expr) [NOT ENFORCED]`; an unnamed check is just `CHECK (expr)`. */
export function renderCheck(chk: Check): string {
  const text = `${chk.name ? `CONSTRAINT ${quoteIdent(chk.name)} ` : ''}CHECK (${sqlExpression(chk.expression, 'CHECK expression')})`;
  return chk.notEnforced ? `${text} NOT ENFORCED` : text;
}

/**
 * `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=DYNAMIC KEY_BLOCK_SIZE=8 COMMENT='c'`,
 * only the options that are set, space-separated (valid in CREATE and ALTER
 * alike); `other` options by name. Partitioning is not a table option here:
 * renderCreateTable appends it.
 */
export function renderTableOptions(opts: TableOptions): string {
  const parts: string[] = [];
  if (opts.engine !== undefined) parts.push(`ENGINE=${sqlWord('engine', opts.engine)}`);
  if (opts.charset !== undefined) parts.push(`DEFAULT CHARSET=${sqlWord('charset', opts.charset)}`);
  if (opts.collation !== undefined) parts.push(`COLLATE=${sqlWord('collation', opts.collation)}`);
  if (opts.rowFormat !== undefined) parts.push(`ROW_FORMAT=${sqlWord('row format', opts.rowFormat)}`);
  for (const name of Object.keys(opts.other ?? {}).sort()) parts.push(`${optionName(name)}=${sqlExpression(opts.other![name], `${name} value`)}`);
  if (opts.comment !== undefined) parts.push(`COMMENT=${quoteString(opts.comment)}`);
  return parts.join(' ');
}

/**
 * The canonical CREATE TABLE, without a trailing semicolon. Definitions come in
 * the order columns (with their column-level CHECKs inline), indexes (model
 * order), foreign keys, table-level checks; then table options and partitioning.
 * `foreignKeys: false` leaves the foreign keys out (the diff adds them later to
 * break a dependency cycle).
 */
export function renderCreateTable(table: Table, opts: { foreignKeys?: boolean; flavor?: Flavor } = {}): string {
  const lines = [
    ...table.columns.map((c) => renderColumnDefinition(c, checksOfColumn(table, c.name))),
    ...table.indexes.map((i) => renderIndexDefinition(i, opts.flavor)),
    ...(opts.foreignKeys === false ? [] : table.foreignKeys.map(renderForeignKey)),
    ...table.checks.filter((c) => c.column === undefined).map(renderCheck),
  ];
  const options = renderTableOptions(table.options);
  const partitioning = table.options.partitioning ? `\n${sqlExpression(table.options.partitioning, 'partitioning clause')}` : '';
  return `CREATE TABLE ${quoteIdent(table.name)} (\n${lines.map((l) => '  ' + l).join(',\n')}\n)${options ? ' ' + options : ''}${partitioning}`;
}

const INDEX_TYPES: Record<string, string> = { btree: 'BTREE', hash: 'HASH' };
const FK_ACTIONS: Record<string, string> = { restrict: 'RESTRICT', cascade: 'CASCADE', 'set null': 'SET NULL', 'no action': 'NO ACTION', 'set default': 'SET DEFAULT' };

/** The keyword for `value` from a closed list, or an error for a model the parser did not make. */
function closed(words: Record<string, string>, value: string, what: string): string {
  const word = words[value.toLowerCase()];
  if (word === undefined) throw new UnsafeSqlTextError(`${JSON.stringify(value)} is not a ${what}; use one of ${Object.values(words).join(', ')}.`);
  return word;
}

function size(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new UnsafeSqlTextError(`${JSON.stringify(n)} is not a length, precision or scale.`);
  return n;
}

/** A table option name is one ASCII keyword (engine-defined options included). */
function optionName(name: string): string {
  if (!/^[A-Z][A-Z0-9_]*( DIRECTORY)?$/.test(name)) throw new UnsafeSqlTextError(`${JSON.stringify(name)} is not a table option name; options are single words such as KEY_BLOCK_SIZE.`);
  return name;
}
