/**
 * Reserved words: names that MySQL 8.0 or MariaDB 10.11 refuse as an unquoted
 * identifier. schemabranch quotes every name it writes, but application queries
 * usually do not, and a name that becomes reserved breaks them.
 *
 * MYSQL_80: the words marked (R) in the MySQL 8.0 manual ("Keywords and
 * Reserved Words in MySQL 8.0", 8.0.x latest; ARRAY, PERSIST, PERSIST_ONLY and
 * ADMIN were reserved only in early 8.0 releases and are left out).
 *
 * MARIADB_1011: measured on MariaDB 10.11: every word of
 * information_schema.KEYWORDS that the server refuses as an unquoted column or
 * table name in CREATE TABLE (error 1064). engine/test/lint/reserved-word.test.ts
 * re-measures this against the test server.
 */

export const MYSQL_80: ReadonlySet<string> = new Set([
  'accessible', 'add', 'all', 'alter', 'analyze', 'and', 'as', 'asc', 'asensitive', 'before', 'between',
  'bigint', 'binary', 'blob', 'both', 'by', 'call', 'cascade', 'case', 'change', 'char', 'character', 'check',
  'collate', 'column', 'condition', 'constraint', 'continue', 'convert', 'create', 'cross', 'cube',
  'cume_dist', 'current_date', 'current_time', 'current_timestamp', 'current_user', 'cursor', 'database',
  'databases', 'day_hour', 'day_microsecond', 'day_minute', 'day_second', 'dec', 'decimal', 'declare',
  'default', 'delayed', 'delete', 'dense_rank', 'desc', 'describe', 'deterministic', 'distinct',
  'distinctrow', 'div', 'double', 'drop', 'dual', 'each', 'else', 'elseif', 'empty', 'enclosed', 'escaped',
  'except', 'exists', 'exit', 'explain', 'false', 'fetch', 'first_value', 'float', 'float4', 'float8', 'for',
  'force', 'foreign', 'from', 'fulltext', 'function', 'generated', 'get', 'grant', 'group', 'grouping',
  'groups', 'having', 'high_priority', 'hour_microsecond', 'hour_minute', 'hour_second', 'if', 'ignore', 'in',
  'index', 'infile', 'inner', 'inout', 'insensitive', 'insert', 'int', 'int1', 'int2', 'int3', 'int4', 'int8',
  'integer', 'intersect', 'interval', 'into', 'io_after_gtids', 'io_before_gtids', 'is', 'iterate', 'join',
  'json_table', 'key', 'keys', 'kill', 'lag', 'last_value', 'lateral', 'lead', 'leading', 'leave', 'left',
  'like', 'limit', 'linear', 'lines', 'load', 'localtime', 'localtimestamp', 'lock', 'long', 'longblob',
  'longtext', 'loop', 'low_priority', 'master_bind', 'master_ssl_verify_server_cert', 'match', 'maxvalue',
  'mediumblob', 'mediumint', 'mediumtext', 'middleint', 'minute_microsecond', 'minute_second', 'mod',
  'modifies', 'natural', 'not', 'no_write_to_binlog', 'nth_value', 'ntile', 'null', 'numeric', 'of', 'on',
  'optimize', 'optimizer_costs', 'option', 'optionally', 'or', 'order', 'out', 'outer', 'outfile', 'over',
  'partition', 'percent_rank', 'precision', 'primary', 'procedure', 'purge', 'range', 'rank', 'read', 'reads',
  'read_write', 'real', 'recursive', 'references', 'regexp', 'release', 'rename', 'repeat', 'replace',
  'require', 'resignal', 'restrict', 'return', 'revoke', 'right', 'rlike', 'row', 'rows', 'row_number',
  'schema', 'schemas', 'second_microsecond', 'select', 'sensitive', 'separator', 'set', 'show', 'signal',
  'smallint', 'spatial', 'specific', 'sql', 'sqlexception', 'sqlstate', 'sqlwarning', 'sql_big_result',
  'sql_calc_found_rows', 'sql_small_result', 'ssl', 'starting', 'stored', 'straight_join', 'system', 'table',
  'terminated', 'then', 'tinyblob', 'tinyint', 'tinytext', 'to', 'trailing', 'trigger', 'true', 'undo',
  'union', 'unique', 'unlock', 'unsigned', 'update', 'usage', 'use', 'using', 'utc_date', 'utc_time',
  'utc_timestamp', 'values', 'varbinary', 'varchar', 'varcharacter', 'varying', 'virtual', 'when', 'where',
  'while', 'window', 'with', 'write', 'xor', 'year_month', 'zerofill',
]);

export const MARIADB_1011: ReadonlySet<string> = new Set([
  'accessible', 'add', 'all', 'alter', 'analyze', 'and', 'as', 'asc', 'asensitive', 'before', 'between',
  'bigint', 'binary', 'blob', 'both', 'by', 'call', 'cascade', 'case', 'change', 'char', 'character', 'check',
  'collate', 'column', 'condition', 'constraint', 'continue', 'convert', 'create', 'cross', 'current_date',
  'current_role', 'current_time', 'current_timestamp', 'current_user', 'cursor', 'databases', 'day_hour',
  'day_microsecond', 'day_minute', 'day_second', 'dec', 'decimal', 'declare', 'default', 'delayed', 'delete',
  'delete_domain_id', 'desc', 'describe', 'deterministic', 'distinct', 'distinctrow', 'div', 'double',
  'do_domain_ids', 'drop', 'dual', 'each', 'else', 'elseif', 'enclosed', 'escaped', 'except', 'exists',
  'exit', 'explain', 'false', 'fetch', 'float', 'float4', 'float8', 'for', 'force', 'foreign', 'from',
  'fulltext', 'grant', 'group', 'having', 'high_priority', 'hour_microsecond', 'hour_minute', 'hour_second',
  'if', 'ignore', 'ignore_domain_ids', 'in', 'index', 'infile', 'inner', 'inout', 'insensitive', 'insert',
  'int', 'int1', 'int2', 'int3', 'int4', 'int8', 'integer', 'intersect', 'interval', 'into', 'is', 'iterate',
  'join', 'key', 'keys', 'kill', 'leading', 'leave', 'left', 'like', 'limit', 'linear', 'lines', 'load',
  'localtime', 'localtimestamp', 'lock', 'long', 'longblob', 'longtext', 'loop', 'low_priority',
  'master_demote_to_replica', 'master_demote_to_slave', 'master_ssl_verify_server_cert', 'match', 'maxvalue',
  'mediumblob', 'mediumint', 'mediumtext', 'middleint', 'minute_microsecond', 'minute_second', 'mod',
  'modifies', 'natural', 'not', 'no_write_to_binlog', 'null', 'numeric', 'offset', 'on', 'optimize',
  'optionally', 'or', 'order', 'out', 'outer', 'outfile', 'over', 'page_checksum', 'parse_vcol_expr',
  'partition', 'portion', 'precision', 'primary', 'procedure', 'purge', 'range', 'read', 'reads',
  'read_write', 'real', 'recursive', 'references', 'ref_system_id', 'regexp', 'release', 'rename', 'repeat',
  'replace', 'require', 'resignal', 'restrict', 'return', 'returning', 'revoke', 'right', 'rlike', 'rows',
  'row_number', 'schemas', 'second_microsecond', 'select', 'sensitive', 'separator', 'set', 'show', 'signal',
  'smallint', 'spatial', 'specific', 'sql', 'sqlexception', 'sqlstate', 'sqlwarning', 'sql_big_result',
  'sql_calc_found_rows', 'sql_small_result', 'ssl', 'starting', 'stats_auto_recalc', 'stats_persistent',
  'stats_sample_pages', 'straight_join', 'table', 'terminated', 'then', 'tinyblob', 'tinyint', 'tinytext',
  'to', 'trailing', 'trigger', 'true', 'undo', 'union', 'unique', 'unlock', 'unsigned', 'update', 'usage',
  'use', 'using', 'utc_date', 'utc_time', 'utc_timestamp', 'values', 'varbinary', 'varchar', 'varcharacter',
  'varying', 'when', 'where', 'while', 'with', 'write', 'xor', 'year_month', 'zerofill',
]);

/** Which servers reserve `name` (case-insensitive); empty when none does. */
export function reservedIn(name: string): string[] {
  const lower = name.toLowerCase();
  const servers: string[] = [];
  if (MYSQL_80.has(lower)) servers.push('MySQL 8.0');
  if (MARIADB_1011.has(lower)) servers.push('MariaDB 10.11');
  return servers;
}
