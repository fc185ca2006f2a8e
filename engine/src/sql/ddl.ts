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
import { quoteIdent, quoteString } from './quote.js';

/** `varchar(255)`, `decimal(10,2) unsigned`, `enum('a','b')`. */
export function renderColumnType(type: ColumnType): string {
  let text = type.base;
  if (type.values !== undefined) {
    text += '(' + type.values.map(quoteString).join(',') + ')';
  } else if (type.length !== undefined) {
    text += type.scale !== undefined ? `(${type.length},${type.scale})` : `(${type.length})`;
  }
  if (type.unsigned) text += ' unsigned';
  if (type.zerofill) text += ' zerofill';
  return text;
}

/**
 * `` `name` type [CHARACTER SET x] [COLLATE y] [GENERATED ALWAYS AS (e) STORED|VIRTUAL]
 * [NOT NULL|NULL] [DEFAULT d] [ON UPDATE u] [AUTO_INCREMENT] [COMMENT 'c'] ``
 *
 * Nullable columns carry an explicit NULL only for TIMESTAMP (where servers with
 * explicit_defaults_for_timestamp=OFF would otherwise make them NOT NULL) and
 * never for generated columns (MariaDB rejects NULL/NOT NULL on them).
 */
export function renderColumnDefinition(col: Column): string {
  const parts = [quoteIdent(col.name), renderColumnType(col.type)];
  if (col.charset !== undefined) parts.push(`CHARACTER SET ${col.charset}`);
  if (col.collation !== undefined) parts.push(`COLLATE ${col.collation}`);
  if (col.generated !== undefined) {
    parts.push(`GENERATED ALWAYS AS (${col.generated.expression}) ${col.generated.stored ? 'STORED' : 'VIRTUAL'}`);
  } else if (!col.nullable) {
    parts.push('NOT NULL');
  } else if (col.type.base === 'timestamp') {
    parts.push('NULL');
  }
  if (col.generated === undefined) {
    if (col.default !== undefined) parts.push(`DEFAULT ${col.default}`);
    if (col.onUpdate !== undefined) parts.push(`ON UPDATE ${col.onUpdate}`);
    if (col.autoIncrement) parts.push('AUTO_INCREMENT');
  }
  if (col.comment !== undefined) parts.push(`COMMENT ${quoteString(col.comment)}`);
  return parts.join(' ');
}

function renderIndexPart(part: IndexPart): string {
  let text = quoteIdent(part.column);
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

/** `PRIMARY KEY (`id`)`, `UNIQUE KEY `u` (`a`,`b`(10) DESC) USING BTREE COMMENT 'c'`. */
export function renderIndexDefinition(idx: Index): string {
  const parts = [INDEX_KEYWORD[idx.kind]];
  if (idx.kind !== 'primary') parts.push(quoteIdent(idx.name));
  parts.push('(' + idx.parts.map(renderIndexPart).join(',') + ')');
  if (idx.using !== undefined) parts.push(`USING ${idx.using.toUpperCase()}`);
  if (idx.comment !== undefined) parts.push(`COMMENT ${quoteString(idx.comment)}`);
  return parts.join(' ');
}

/** `CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `t` (`id`) ON DELETE CASCADE ON UPDATE RESTRICT`. */
export function renderForeignKey(fk: ForeignKey): string {
  const cols = (names: string[]): string => '(' + names.map(quoteIdent).join(',') + ')';
  let text = `CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY ${cols(fk.columns)} REFERENCES ${quoteIdent(fk.refTable)} ${cols(fk.refColumns)}`;
  if (fk.onDelete !== undefined) text += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
  if (fk.onUpdate !== undefined) text += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
  return text;
}

/** `CONSTRAINT `name` CHECK (expr)`. */
export function renderCheck(chk: Check): string {
  return `CONSTRAINT ${quoteIdent(chk.name)} CHECK (${chk.expression})`;
}

/**
 * `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=DYNAMIC COMMENT='c'`,
 * only the options that are set, space-separated (valid in CREATE and ALTER alike).
 */
export function renderTableOptions(opts: TableOptions): string {
  const parts: string[] = [];
  if (opts.engine !== undefined) parts.push(`ENGINE=${opts.engine}`);
  if (opts.charset !== undefined) parts.push(`DEFAULT CHARSET=${opts.charset}`);
  if (opts.collation !== undefined) parts.push(`COLLATE=${opts.collation}`);
  if (opts.rowFormat !== undefined) parts.push(`ROW_FORMAT=${opts.rowFormat.toUpperCase()}`);
  if (opts.comment !== undefined) parts.push(`COMMENT=${quoteString(opts.comment)}`);
  return parts.join(' ');
}

/**
 * The canonical CREATE TABLE, without a trailing semicolon. Definitions come in
 * the order columns, indexes (model order), foreign keys, checks.
 */
export function renderCreateTable(table: Table, opts: { foreignKeys?: boolean } = {}): string {
  const lines = [
    ...table.columns.map(renderColumnDefinition),
    ...table.indexes.map(renderIndexDefinition),
    ...(opts.foreignKeys === false ? [] : table.foreignKeys.map(renderForeignKey)),
    ...table.checks.map(renderCheck),
  ];
  const options = renderTableOptions(table.options);
  return `CREATE TABLE ${quoteIdent(table.name)} (\n${lines.map((l) => '  ' + l).join(',\n')}\n)${options ? ' ' + options : ''}`;
}
