/** The words completion offers, grouped by where they may be written in a CREATE TABLE. */

export const COLUMN_TYPES = [
  'tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal(10,2)', 'float', 'double', 'bit',
  'boolean', 'char(1)', 'varchar(255)', 'binary(16)', 'varbinary(255)', 'tinytext', 'text', 'mediumtext',
  'longtext', 'tinyblob', 'blob', 'mediumblob', 'longblob', "enum('a','b')", "set('a','b')", 'json',
  'date', 'datetime', 'datetime(6)', 'timestamp', 'timestamp(6)', 'time', 'year', 'uuid', 'inet6',
  'geometry', 'point', 'linestring', 'polygon',
];

export const COLUMN_ATTRIBUTES = [
  'NOT NULL', 'NULL', 'DEFAULT', 'AUTO_INCREMENT', 'UNSIGNED', 'ZEROFILL', 'PRIMARY KEY', 'UNIQUE',
  'COMMENT', 'CHARACTER SET', 'COLLATE', 'ON UPDATE CURRENT_TIMESTAMP', 'CURRENT_TIMESTAMP',
  'GENERATED ALWAYS AS', 'STORED', 'VIRTUAL', 'INVISIBLE', 'REFERENCES', 'CHECK',
];

export const ELEMENT_STARTERS = [
  'PRIMARY KEY', 'KEY', 'INDEX', 'UNIQUE KEY', 'FULLTEXT KEY', 'SPATIAL KEY', 'CONSTRAINT', 'FOREIGN KEY', 'CHECK',
];

export const TABLE_OPTIONS = ['ENGINE=InnoDB', 'DEFAULT CHARSET=utf8mb4', 'COLLATE=utf8mb4_unicode_ci', 'ROW_FORMAT=DYNAMIC', 'COMMENT=', 'AUTO_INCREMENT='];

export const STATEMENT_STARTERS = ['CREATE TABLE', 'IF NOT EXISTS'];

export const FK_ACTIONS = ['ON DELETE', 'ON UPDATE', 'CASCADE', 'RESTRICT', 'SET NULL', 'NO ACTION', 'SET DEFAULT'];

export const ENGINES = ['InnoDB', 'MyISAM', 'Aria', 'MEMORY', 'ARCHIVE'];

export const CHARSETS = ['utf8mb4', 'utf8mb3', 'utf8', 'ascii', 'binary', 'latin1', 'utf16', 'utf32', 'ucs2', 'cp1252'];

export const COLLATIONS = [
  'utf8mb4_general_ci', 'utf8mb4_unicode_ci', 'utf8mb4_unicode_520_ci', 'utf8mb4_bin', 'utf8mb4_0900_ai_ci',
  'utf8mb4_0900_bin', 'utf8mb4_uca1400_ai_ci', 'utf8mb3_general_ci', 'utf8mb3_unicode_ci', 'utf8mb3_bin',
  'utf8_general_ci', 'utf8_unicode_ci', 'utf8_bin', 'ascii_general_ci', 'ascii_bin', 'latin1_swedish_ci',
  'latin1_general_ci', 'latin1_bin', 'binary',
];
