import type { Check, Column, ForeignKey, Index, Schema, Table } from './model.js';
import { canonicalCharset, canonicalCollation, charsetOfCollation, defaultCollation } from './charsets.js';
import { canonicalExpression } from './expression.js';
import { defaultServer, tokenize, type ServerVersion, type Token } from './lexer.js';
import { normalizeColumn } from './normalize-column.js';

/** What a server fills in for a table that does not say: read with readServerDefaults(). */
export interface ServerDefaults {
  flavor: 'mariadb' | 'mysql';
  /** The server's version as a number (10.11.19 is 101119): which executable comments it runs. */
  version?: number;
  /** The database's default charset and collation (what CREATE TABLE inherits). */
  charset: string;
  collation: string;
  engine: string;
  /** Charset -> default collation as this server has them (optional: built-in tables otherwise). */
  charsetCollations?: Record<string, string>;
}

/** The server these defaults were read from, as the lexer needs it (its flavour's default when the version is unknown). */
export function serverOf(defaults: Pick<ServerDefaults, 'flavor' | 'version'>): ServerVersion {
  return defaults.version ? { flavor: defaults.flavor, version: defaults.version } : defaultServer(defaults.flavor);
}

const ENGINES: Record<string, string> = { innodb: 'InnoDB', myisam: 'MyISAM', aria: 'Aria', memory: 'MEMORY', heap: 'MEMORY', csv: 'CSV', archive: 'ARCHIVE', blackhole: 'BLACKHOLE', rocksdb: 'ROCKSDB', federated: 'FEDERATED', mrg_myisam: 'MRG_MyISAM', merge: 'MRG_MyISAM', sequence: 'SEQUENCE', connect: 'CONNECT', spider: 'SPIDER', s3: 'S3', columnstore: 'Columnstore' };

/**
 * The table as the server would store it, in one canonical spelling, so a table parsed
 * from a file and the same table read back with SHOW CREATE TABLE compare deep-equal
 * (after stripSources). Pure: returns a new table.
 */
export function normalizeTable(input: Table, defaults: ServerDefaults): Table {
  const table = cloneTable(input);
  const flavor = defaults.flavor;
  const o = table.options;
  o.engine = canonicalEngine(o.engine ?? defaults.engine);
  let charset = o.charset ? canonicalCharset(o.charset) : undefined;
  let collation = o.collation ? canonicalCollation(o.collation) : undefined;
  if (collation && !charset) charset = charsetOfCollation(collation);
  if (!charset) {
    charset = canonicalCharset(defaults.charset);
    collation ??= canonicalCollation(defaults.collation);
  }
  collation ??= charset === canonicalCharset(defaults.charset) ? canonicalCollation(defaults.collation) : defaultCollation(charset, flavor, defaults.charsetCollations);
  o.charset = charset;
  o.collation = collation;
  if (o.rowFormat) o.rowFormat = o.rowFormat.toUpperCase();
  else delete o.rowFormat;
  if (!o.comment) delete o.comment;
  // MariaDB's Aria tables have page checksums unless told otherwise, and SHOW CREATE says so.
  if (flavor === 'mariadb' && o.engine === 'Aria' && o.other?.PAGE_CHECKSUM === undefined) o.other = { ...o.other, PAGE_CHECKSUM: '1' };
  if (o.other && Object.keys(o.other).length === 0) delete o.other;
  const columnNames = new Map(table.columns.map((c) => [c.name.toLowerCase(), c.name]));
  if (o.partitioning) o.partitioning = canonicalPartitioning(o.partitioning);
  else delete o.partitioning;

  const caseOf = (name: string): string => columnNames.get(name.toLowerCase()) ?? name;
  const serialColumns = table.columns.filter((c) => c.type.base === 'serial').map((c) => c.name);
  for (const col of table.columns) {
    normalizeColumn(col, { charset, collation }, flavor, defaults.charsetCollations);
    if (col.generated) col.generated.expression = fixIdentifierCase(col.generated.expression, caseOf);
    if (flavor === 'mariadb' && input.columns.find((c) => c.name === col.name)?.type.base === 'json') addJsonCheck(table, col);
  }
  for (const c of table.checks) c.expression = fixIdentifierCase(c.expression, caseOf);

  table.indexes = normalizeIndexes(table, caseOf, serialColumns);
  const pk = table.indexes.find((i) => i.kind === 'primary');
  for (const part of pk?.parts ?? []) {
    const col = table.columns.find((c) => c.name === part.column);
    if (col) {
      col.nullable = false;
      if (col.default === 'NULL') delete col.default;
    }
  }
  table.foreignKeys = normalizeForeignKeys(table, caseOf);
  table.checks = normalizeChecks(table, flavor);
  return table;
}

export function normalizeSchema(schema: Schema, defaults: ServerDefaults): Schema {
  const tables = schema.tables.map((t) => normalizeTable(t, defaults));
  // Views, triggers, routines and events are normalized by the server itself (db/object-probe.ts).
  return schema.objects ? { tables, objects: schema.objects } : { tables };
}

/**
 * A copy deep enough for normalization to edit freely. Source ranges are shared: nothing
 * changes them. (Several times faster than structuredClone or JSON for a 1,000-table branch.)
 */
function cloneTable(t: Table): Table {
  const columns: Column[] = t.columns.map((c) => {
    const col: Column = { ...c, type: { ...c.type } };
    if (c.type.values) col.type.values = [...c.type.values];
    if (c.generated) col.generated = { ...c.generated };
    return col;
  });
  const options = { ...t.options };
  if (t.options.other) options.other = { ...t.options.other };
  return {
    ...t,
    columns,
    indexes: t.indexes.map((i) => ({ ...i, parts: i.parts.map((p) => ({ ...p })) })),
    foreignKeys: t.foreignKeys.map((f) => ({ ...f, columns: [...f.columns], refColumns: [...f.refColumns] })),
    checks: t.checks.map((c) => ({ ...c })),
    options,
    nolint: [...t.nolint],
  };
}

/** A deep copy without `source` / `nameSource`: what comparisons should look at. */
export function stripSources<T>(x: T): T {
  if (Array.isArray(x)) return x.map((v: unknown) => stripSources(v)) as T;
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
      if (k === 'source' || k === 'nameSource' || v === undefined) continue;
      out[k] = stripSources(v);
    }
    return out as T;
  }
  return x;
}

/**
 * PARTITION BY text compared loosely: names without backticks, lower-case, and without the
 * per-partition `ENGINE = InnoDB` the server adds. Kept as text (see docs/parser-gaps.md).
 */
function canonicalPartitioning(text: string): string {
  const { tokens } = tokenize(text);
  const kept: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const k = tokens[i].kind === 'word' ? tokens[i].value.toUpperCase() : '';
    if (k === 'STORAGE' && tokens[i + 1]?.value.toUpperCase() === 'ENGINE') continue;
    if (k === 'ENGINE') {
      i += tokens[i + 1]?.value === '=' ? 2 : 1;
      continue;
    }
    kept.push(tokens[i].kind === 'ident' ? { ...tokens[i], kind: 'word', value: tokens[i].value.toLowerCase() } : tokens[i]);
  }
  return canonicalExpression(kept, 0, kept.length, new Set());
}

function canonicalEngine(engine: string): string {
  return ENGINES[engine.toLowerCase()] ?? engine;
}

function fixIdentifierCase(expr: string, caseOf: (n: string) => string): string {
  return expr.replace(/`((?:[^`]|``)+)`/g, (_m, name: string) => '`' + caseOf(name.replace(/``/g, '`')).replace(/`/g, '``') + '`');
}

function addJsonCheck(table: Table, col: Column): void {
  const expression = `json_valid(\`${col.name.replace(/`/g, '``')}\`)`;
  if (!table.checks.some((c) => c.expression === expression)) table.checks.push({ name: '', expression, column: col.name });
}

/**
 * Names unnamed keys the way the server does (first column, then _2, _3 ... in definition
 * order), adds the index a foreign key needs when none covers it (where the FOREIGN KEY
 * clause stands), drops prefix lengths that cover the whole column, and orders keys as
 * the server stores them (serverKeyOrder).
 */
function normalizeIndexes(table: Table, caseOf: (n: string) => string, serialColumns: string[]): Index[] {
  const indexes: Index[] = [];
  for (const col of serialColumns) indexes.push({ name: '', kind: 'unique', parts: [{ column: col }] });
  indexes.push(...table.indexes);
  const taken = new Set(indexes.filter((i) => i.name).map((i) => i.name.toLowerCase()));
  const uniqueName = (base: string): string => {
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    taken.add(name.toLowerCase());
    return name;
  };
  for (const index of indexes) {
    if (index.kind === 'primary') index.name = 'PRIMARY';
    for (const part of index.parts) {
      if (part.column) part.column = caseOf(part.column);
      const col = table.columns.find((c) => c.name === part.column);
      if (part.length !== undefined && col && /^(char|varchar|binary|varbinary)$/.test(col.type.base) && col.type.length !== undefined && part.length >= col.type.length) delete part.length;
      if (!part.descending) delete part.descending;
      if (part.expression === undefined) delete part.expression;
    }
    if (!index.name) index.name = uniqueName(index.parts[0]?.column || 'functional_index');
    if (!index.comment) delete index.comment;
    if (!index.invisible) delete index.invisible;
    if (!index.using) delete index.using;
  }
  for (const fk of table.foreignKeys) {
    const cols = fk.columns.map((c) => caseOf(c).toLowerCase());
    const covered = indexes.some((i) => i.kind !== 'fulltext' && i.kind !== 'spatial' && cols.every((c, k) => i.parts[k]?.column.toLowerCase() === c));
    if (!covered) {
      const name = fk.name && !taken.has(fk.name.toLowerCase()) ? (taken.add(fk.name.toLowerCase()), fk.name) : uniqueName(caseOf(fk.columns[0] ?? 'fk'));
      const index: Index = { name, kind: 'index', parts: fk.columns.map((c) => ({ column: caseOf(c) })) };
      // The server makes this key where the FOREIGN KEY clause is written, between the others.
      const at = fk.source ? indexes.findIndex((i) => i.source !== undefined && i.source.range.start.offset > fk.source!.range.start.offset) : -1;
      if (at < 0) indexes.push(index);
      else indexes.splice(at, 0, index);
    }
  }
  return serverKeyOrder(indexes, table);
}

/**
 * Keys in the order the server stores and shows them (MariaDB's and MySQL's sort_keys):
 * unique keys first (those on NOT NULL columns before those with a nullable part, PRIMARY
 * first among them, whole-column keys before prefix keys), then the others with FULLTEXT
 * last; otherwise as written. A stable sort on that rank.
 */
function serverKeyOrder(indexes: Index[], table: Table): Index[] {
  const pk = indexes.find((i) => i.kind === 'primary');
  const notNull = (name: string): boolean => {
    const col = table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    return !col || !col.nullable || !!pk?.parts.some((p) => p.column.toLowerCase() === name.toLowerCase());
  };
  const rank = (i: Index): number[] => {
    if (i.kind === 'primary' || i.kind === 'unique') {
      const nullablePart = i.parts.some((p) => p.expression !== undefined || !notNull(p.column));
      const prefixPart = i.parts.some((p) => p.length !== undefined);
      return [0, nullablePart ? 1 : 0, i.kind === 'primary' ? 0 : 1, prefixPart ? 1 : 0];
    }
    return [1, i.kind === 'fulltext' ? 1 : 0, 0, 0];
  };
  const ranked = indexes.map((index, position) => ({ index, position, rank: rank(index) }));
  ranked.sort((a, b) => {
    for (let k = 0; k < a.rank.length; k++) if (a.rank[k] !== b.rank[k]) return a.rank[k] - b.rank[k];
    return a.position - b.position;
  });
  return ranked.map((r) => r.index);
}

function normalizeForeignKeys(table: Table, caseOf: (n: string) => string): ForeignKey[] {
  let n = 0;
  const fks = table.foreignKeys.map((fk) => {
    const out: ForeignKey = { ...fk, name: fk.name || `${table.name}_ibfk_${++n}`, columns: fk.columns.map(caseOf) };
    // RESTRICT is what an absent clause means; servers print nothing for it.
    if (!out.onDelete || out.onDelete === 'RESTRICT') delete out.onDelete;
    if (!out.onUpdate || out.onUpdate === 'RESTRICT') delete out.onUpdate;
    return out;
  });
  return fks.sort((a, b) => compare(a.name, b.name));
}

function normalizeChecks(table: Table, flavor: 'mariadb' | 'mysql'): Check[] {
  let n = 0;
  const checks = table.checks.map((c): Check => {
    const out: Check = { ...c };
    if (flavor === 'mysql') {
      // MySQL 8 turns column CHECKs into table constraints named <table>_chk_N.
      delete out.column;
      if (!out.name) out.name = `${table.name}_chk_${++n}`;
    } else if (!out.column && !out.name) out.name = `CONSTRAINT_${++n}`;
    if (out.column === undefined) delete out.column;
    if (!out.notEnforced) delete out.notEnforced;
    return out;
  });
  return checks.sort((a, b) => compare(a.column ?? '', b.column ?? '') || compare(a.name, b.name) || compare(a.expression, b.expression));
}

function compare(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
