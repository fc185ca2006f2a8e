/**
 * The typed schema model every layer shares: files are parsed into it, a live
 * server is read back into it, the diff compares two of them, lint rules read it.
 * Plain data (no classes, no Maps) so it crosses LSP and `--json` unchanged.
 */

/** 0-based line and character (as LSP counts), plus the 0-based offset in the file. */
export interface Position {
  line: number;
  character: number;
  offset: number;
}

export interface SourceRange {
  start: Position;
  end: Position;
}

/** Where a model element was written. Absent for elements read from a live server. */
export interface SourceRef {
  file: string;
  range: SourceRange;
}

export interface ColumnType {
  /** Lower-case base type: 'int', 'bigint', 'varchar', 'decimal', 'enum', 'json', ... */
  base: string;
  /** Character length, display width, precision, or fractional-seconds precision. */
  length?: number;
  /** Decimal scale: decimal(10,2) has length 10 and scale 2. */
  scale?: number;
  unsigned?: boolean;
  zerofill?: boolean;
  /** ENUM and SET members, unquoted. */
  values?: string[];
}

export interface GeneratedColumn {
  /** The expression as SQL text, without the surrounding parentheses. */
  expression: string;
  stored: boolean;
}

export interface Column {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /**
   * The DEFAULT clause as canonical SQL text: `'abc'`, `0`, `NULL`,
   * `current_timestamp()`, `(uuid())`. Undefined when the column has no DEFAULT.
   */
  default?: string;
  autoIncrement: boolean;
  /** ON UPDATE expression as SQL text, e.g. `current_timestamp()`. */
  onUpdate?: string;
  charset?: string;
  collation?: string;
  /** The BINARY attribute (`varchar(64) BINARY`): the `_bin` collation of the column's charset; normalization resolves it. */
  binaryCollation?: boolean;
  generated?: GeneratedColumn;
  comment?: string;
  /** INVISIBLE column (MariaDB 10.3+, MySQL 8.0.23+): hidden from SELECT *. */
  invisible?: boolean;
  source?: SourceRef;
}

export type IndexKind = 'primary' | 'unique' | 'index' | 'fulltext' | 'spatial';

export interface IndexPart {
  column: string;
  /** Prefix length: KEY (name(10)). */
  length?: number;
  descending?: boolean;
  /** Functional key part (MySQL 8.0.13+): the expression as canonical SQL text; `column` is '' then. */
  expression?: string;
}

export interface Index {
  /** 'PRIMARY' for the primary key. */
  name: string;
  kind: IndexKind;
  parts: IndexPart[];
  using?: 'btree' | 'hash';
  comment?: string;
  /** MySQL's INVISIBLE index or MariaDB's IGNORED index: maintained but not used by the optimizer. */
  invisible?: boolean;
  source?: SourceRef;
}

export interface ForeignKey {
  name: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  /** 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'NO ACTION' | 'SET DEFAULT'; undefined = server default. */
  onDelete?: string;
  onUpdate?: string;
  source?: SourceRef;
}

export interface Check {
  name: string;
  /** The expression as SQL text, without the surrounding parentheses. */
  expression: string;
  /** Set for a CHECK written inside a column definition (MariaDB keeps it there, unnamed). */
  column?: string;
  /** MySQL's CHECK (...) NOT ENFORCED. */
  notEnforced?: boolean;
  source?: SourceRef;
}

export interface TableOptions {
  engine?: string;
  charset?: string;
  collation?: string;
  comment?: string;
  rowFormat?: string;
  /** Other table options as written, upper-case name -> value text: { STATS_PERSISTENT: '0', KEY_BLOCK_SIZE: '8' }. */
  other?: Record<string, string>;
  /** PARTITION BY ... re-written from its tokens: comments dropped, names and strings re-quoted (not modelled further: see docs/parser-gaps.md). */
  partitioning?: string;
}

export interface Table {
  name: string;
  columns: Column[];
  indexes: Index[];
  foreignKeys: ForeignKey[];
  checks: Check[];
  options: TableOptions;
  /** Lint codes silenced for this statement by `-- schemabranch:nolint <code>`. */
  nolint: string[];
  /** The whole CREATE TABLE statement; `nameSource` is just the table name token. */
  source?: SourceRef;
  nameSource?: SourceRef;
}

/** The schema objects besides tables that a schema file may define. */
export type SchemaObjectKind = 'view' | 'trigger' | 'procedure' | 'function' | 'event';

export interface TriggerHead {
  table: string;
  timing: 'BEFORE' | 'AFTER';
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  /** FOLLOWS or PRECEDES another trigger of the same table and event. */
  order?: { position: 'FOLLOWS' | 'PRECEDES'; trigger: string };
}

/**
 * A view, trigger, stored procedure, stored function or event. The parser reads its
 * header (kind, name, definer, for a trigger its table, timing, event and order) and
 * keeps the rest as text: `CREATE [OR REPLACE] [DEFINER=...] <clauses> <KIND> <name> <body>`.
 */
export interface SchemaObject {
  kind: SchemaObjectKind;
  name: string;
  /** DEFINER = user@host when the statement names an account (CURRENT_USER counts as none). */
  definer?: { user: string; host: string };
  /** Clauses before the kind keyword other than DEFINER (ALGORITHM=..., SQL SECURITY ...), tokens joined by single spaces. */
  clauses: string;
  /** Everything after the name as written: a view's column list and AS SELECT, a routine's parameters, characteristics and body, ... */
  body: string;
  trigger?: TriggerHead;
  /**
   * An event's AT, STARTS and ENDS times when written as plain literals: compared only when
   * both sides have one (the server prints a literal for an expression, and fills in STARTS).
   */
  schedule?: { at?: string; starts?: string; ends?: string };
  /**
   * The definition as the server prints it (SHOW CREATE ...), normalized (db/object-text.ts):
   * set for objects read back from a server or probed on one. Two objects with it are
   * compared by it; without it, by `clauses` and `body`.
   */
  canonical?: string;
  nolint: string[];
  source?: SourceRef;
  nameSource?: SourceRef;
}

export interface Schema {
  /** In file order for a parsed branch, in name order for a live database. */
  tables: Table[];
  /** Views, triggers, routines and events; absent means none. File order, or kind then name order for a live database. */
  objects?: SchemaObject[];
}

export function findTable(schema: Schema, name: string): Table | undefined {
  return schema.tables.find((t) => t.name === name);
}

export function findColumn(table: Table, name: string): Column | undefined {
  const lower = name.toLowerCase();
  return table.columns.find((c) => c.name.toLowerCase() === lower);
}
