import type { Check, Column, ColumnType, ForeignKey, Index } from './model.js';
import { unwrapParens } from './expression.js';
import type { ReaderContext } from './reader-context.js';
import { readReferences } from './key-def.js';
import { readValue } from './value.js';
import { isStringType } from './normalize-column.js';
import { knownWord, wordProblem, type WordKind } from '../sql/words.js';

/** Every data type name MySQL 8 or MariaDB 10.11 accepts (first word of the type). */
const KNOWN_TYPES = new Set(
  ('bit tinyint bool boolean smallint mediumint int integer bigint int1 int2 int3 int4 int8 middleint serial ' +
    'decimal dec numeric fixed float float4 float8 double real date datetime timestamp time year char character varchar nchar nvarchar ' +
    'binary varbinary tinyblob blob mediumblob longblob tinytext text mediumtext longtext long enum set json ' +
    'geometry point linestring polygon multipoint multilinestring multipolygon geometrycollection geomcollection ' +
    'uuid inet4 inet6 vector national').split(' '),
);

/** Types node-sql-parser reads in both dialects; others are shown to it as `int`. */
const GRAMMAR_TYPES = new Set(
  ('bit tinyint boolean smallint mediumint int integer bigint int1 int2 int3 int4 int8 decimal numeric float double ' +
    'date datetime timestamp time year char varchar binary varbinary tinyblob blob mediumblob longblob tinytext text ' +
    'mediumtext longtext enum set json geometry point linestring polygon multipoint multilinestring multipolygon geometrycollection').split(' '),
);

/** A column read from its definition, plus what it implies elsewhere in the table. */
export interface ColumnRead {
  column: Column;
  indexes: Index[];
  foreignKeys: ForeignKey[];
  checks: Check[];
  /** Token ranges of expressions to canonicalize once all column names are known. */
  deferred: Array<(columns: ReadonlySet<string>) => void>;
}

export function readColumn(ctx: ReaderContext, from: number, to: number): ColumnRead | undefined {
  const name = ctx.identifier(from);
  if (name === undefined) {
    ctx.syntax(from, 'expected a column name or a key definition.');
    return undefined;
  }
  const column: Column = { name, type: { base: '' }, nullable: true, autoIncrement: false, source: ctx.ref(from, to) };
  const read: ColumnRead = { column, indexes: [], foreignKeys: [], checks: [], deferred: [] };
  let i = readType(ctx, from + 1, to, column.type);
  if (i < 0) return undefined;
  while (i < to) {
    const k = ctx.kw(i);
    const start = i;
    if (k === 'UNSIGNED') column.type.unsigned = true, i++;
    else if (k === 'SIGNED') i++;
    else if (k === 'ZEROFILL') column.type.zerofill = true, i++;
    else if (k === 'NOT' && ctx.kw(i + 1) === 'NULL') column.nullable = false, i += 2;
    else if (k === 'NULL') column.nullable = true, i++;
    else if (k === 'AUTO_INCREMENT') column.autoIncrement = true, i++;
    else if ((k === 'CHARACTER' || k === 'CHAR') && ctx.kw(i + 1) === 'SET') {
      i = readWordAfter(ctx, i + 2, to, (v) => (column.charset = v), 'charset');
      ctx.blank(start, i);
    } else if (k === 'CHARSET') {
      i = readWordAfter(ctx, i + 1, to, (v) => (column.charset = v), 'charset');
      ctx.blank(start, i);
    } else if (k === 'COLLATE') {
      i = readWordAfter(ctx, i + 1, to, (v) => (column.collation = v), 'collation');
      ctx.blank(start, i);
    } else if (k === 'DEFAULT' || (k === 'ON' && ctx.kw(i + 1) === 'UPDATE')) {
      const at = k === 'DEFAULT' ? i + 1 : i + 2;
      const valueStart = at;
      read.deferred.push((columns) => {
        const v = readValue(ctx, valueStart, to, columns);
        if (v && k === 'DEFAULT') column.default = v.text;
        else if (v) column.onUpdate = v.text;
      });
      ctx.quiet = true;
      const v = readValue(ctx, at, to, new Set());
      ctx.quiet = false;
      if (!v) {
        ctx.syntax(at, k === 'DEFAULT' ? 'expected a value after DEFAULT.' : 'expected a value after ON UPDATE.');
        return undefined;
      }
      i = v.next;
      ctx.blank(start, i);
    } else if (k === 'COMMENT') {
      const t = ctx.tokens[i + 1];
      if (!t || t.kind !== 'string' || i + 1 >= to) {
        ctx.syntax(i + 1, 'expected a quoted string after COMMENT.');
        return undefined;
      }
      column.comment = ctx.storedText(i + 1, 'comment');
      i += 2;
    } else if (k === 'PRIMARY' || (k === 'KEY' && ctx.kw(i - 1) !== 'UNIQUE')) {
      if (k === 'PRIMARY' && ctx.kw(i + 1) !== 'KEY') {
        ctx.syntax(i + 1 < to ? i + 1 : i, 'expected KEY after PRIMARY.', ['KEY']);
        return undefined;
      }
      const end = k === 'PRIMARY' ? i + 2 : i + 1;
      read.indexes.push({ name: 'PRIMARY', kind: 'primary', parts: [{ column: name }], source: ctx.ref(i, end) });
      i = end;
    } else if (k === 'UNIQUE') {
      const end = ctx.kw(i + 1) === 'KEY' ? i + 2 : i + 1;
      read.indexes.push({ name: '', kind: 'unique', parts: [{ column: name }], source: ctx.ref(i, end) });
      i = end;
    } else if ((k === 'GENERATED' || k === 'AS') && ctx.kw(k === 'AS' ? i + 1 : i + 3) === 'ROW') {
      // MariaDB system-versioning columns: GENERATED ALWAYS AS ROW START|END.
      i += k === 'AS' ? 3 : 5;
      ctx.unsupported(start, i, 'unsupported-system-versioning', 'A GENERATED ALWAYS AS ROW START/END column', 'system versioning is left out of comparisons.');
      ctx.blank(start, i);
    } else if (k === 'GENERATED' || k === 'AS') {
      i = readGenerated(ctx, i, to, read);
      if (i < 0) return undefined;
      ctx.blank(start, i);
    } else if (k === 'CHECK' || k === 'CONSTRAINT') {
      i = readColumnCheck(ctx, i, to, read);
      if (i < 0) return undefined;
      ctx.blank(start, i);
    } else if (k === 'REFERENCES') {
      // MariaDB creates a foreign key from an inline REFERENCES (MySQL 8.0 ignores it, 9.0 honours it).
      const ref = readReferences(ctx, i, to);
      if (!ref) return undefined;
      i = ctx.referencesEnd;
      read.foreignKeys.push({ name: '', columns: [name], ...ref, source: ctx.ref(start, i) });
    } else if (k === 'INVISIBLE' || k === 'VISIBLE') {
      column.invisible = k === 'INVISIBLE' ? true : undefined;
      if (!column.invisible) delete column.invisible;
      i++;
      ctx.blank(start, i);
    } else if (k === 'SRID' && ctx.tokens[i + 1]?.kind === 'number') {
      i += 2;
      ctx.unsupported(start, i, 'unsupported-srid', 'A column SRID attribute', 'it is left out of comparisons, so changing it will not show up in a diff.');
      ctx.blank(start, i);
    } else if (k === 'REF_SYSTEM_ID' && ctx.isOp(i + 1, '=') && ctx.tokens[i + 2]?.kind === 'number') {
      i += 3;
      ctx.unsupported(start, i, 'unsupported-srid', "MariaDB's REF_SYSTEM_ID column attribute", 'it is left out of comparisons, so changing it will not show up in a diff.');
      ctx.blank(start, i);
    } else if (k === 'COMPRESSED') {
      i++;
      if (ctx.isOp(i, '=')) i += 2;
      ctx.unsupported(start, i, 'unsupported-compressed', 'MariaDB column COMPRESSED', 'it is left out of comparisons.');
      ctx.blank(start, i);
    } else if ((k === 'WITH' || k === 'WITHOUT') && ctx.kw(i + 1) === 'SYSTEM' && ctx.kw(i + 2) === 'VERSIONING') {
      i += 3;
      ctx.unsupported(start, i, 'unsupported-system-versioning', 'Column-level WITH/WITHOUT SYSTEM VERSIONING', 'it is left out of comparisons.');
      ctx.blank(start, i);
    } else if (k === 'BINARY' && isStringType(column.type.base)) {
      column.binaryCollation = true;
      i++;
      ctx.blank(start, i);
    } else if (k === 'BINARY' || k === 'BYTE' || k === 'ASCII' || k === 'UNICODE') {
      i++;
      ctx.unsupported(start, i, 'unsupported-binary-attribute', `The ${k} column attribute`, 'write an explicit CHARACTER SET / COLLATE instead; it is left out of comparisons.');
      ctx.blank(start, i);
    } else if ((k === 'COLUMN_FORMAT' || k === 'STORAGE') && ctx.tokens[i + 1]) {
      i += 2;
    } else {
      // Unknown here: leave it to the grammar check, which reports it at this token.
      i++;
    }
  }
  return read;
}

/** Reads the data type starting at i; returns the index after it (or -1 after a problem). */
function readType(ctx: ReaderContext, i: number, to: number, type: ColumnType): number {
  const first = ctx.tokens[i];
  if (!first || i >= to || first.kind !== 'word') {
    ctx.syntax(Math.min(i, ctx.tokens.length - 1), 'expected a data type after the column name.');
    return -1;
  }
  let base = first.value.toLowerCase();
  if (!KNOWN_TYPES.has(base)) {
    ctx.syntax(i, `'${first.value}' is not a MySQL or MariaDB data type.`);
    return -1;
  }
  let j = i + 1;
  const second = ctx.kw(j);
  if ((base === 'double' && second === 'PRECISION') || ((base === 'char' || base === 'character') && second === 'VARYING') ||
      (base === 'national' && /^(CHAR|CHARACTER|VARCHAR)$/.test(second)) || (base === 'long' && /^(VARCHAR|VARBINARY)$/.test(second))) {
    base = `${base} ${second.toLowerCase()}`;
    j++;
    if (base === 'national char' || base === 'national character') {
      if (ctx.kw(j) === 'VARYING') base = 'national varchar', j++;
    }
  }
  type.base = base;
  let grammarOk = GRAMMAR_TYPES.has(base);
  if (ctx.isOp(j, '(')) {
    const close = ctx.close(j, to);
    if (close < 0) {
      ctx.syntax(j, 'this parenthesis is never closed.');
      return -1;
    }
    if (close === j + 1) {
      ctx.syntax(close, "expected a length or a list of values in the type's parentheses.");
      return -1;
    }
    const args = ctx.splitCommas(j + 1, close);
    const values: string[] = [];
    const numbers: number[] = [];
    for (const [a, b] of args) {
      const t = ctx.tokens[a];
      if (b - a === 1 && t.kind === 'string') values.push(ctx.storedText(a, 'value'));
      else if (b - a === 1 && t.kind === 'number') numbers.push(Number(t.value));
      else if (b > a) {
        ctx.syntax(a, `expected a number or a quoted value in the type's parentheses.`);
        return -1;
      }
    }
    if (base === 'enum' || base === 'set') type.values = values;
    else {
      if (numbers.length > 0) type.length = numbers[0];
      if (numbers.length > 1) type.scale = numbers[1];
    }
    if (base === 'blob' || base === 'text') grammarOk = false;
    j = close + 1;
  }
  if (!grammarOk) {
    // Shown to node-sql-parser as `int`: the type itself was read (and checked) here.
    ctx.substitute(i, 'int');
    ctx.blank(i + 1, j);
  }
  return j;
}

/** A character set or collation name: a word from a closed list, whether written bare, in backticks or quoted. */
function readWordAfter(ctx: ReaderContext, i: number, to: number, set: (v: string) => void, kind: WordKind): number {
  if (ctx.isOp(i, '=')) i++;
  const t = ctx.tokens[i];
  if (!t || i >= to || (t.kind !== 'word' && t.kind !== 'ident' && t.kind !== 'string') || (t.kind === 'word' && ctx.isReserved(t.value) && t.value.toLowerCase() !== 'binary')) {
    ctx.syntax(Math.min(i, ctx.tokens.length - 1), `expected ${kind === 'charset' ? 'a character set name' : 'a collation name'}.`);
    return to;
  }
  const word = knownWord(kind, t.value);
  if (word === undefined) ctx.syntax(i, wordProblem(kind, t.value));
  else set(word);
  return i + 1;
}

function readGenerated(ctx: ReaderContext, i: number, to: number, read: ColumnRead): number {
  if (ctx.kw(i) === 'GENERATED') {
    if (ctx.kw(i + 1) !== 'ALWAYS' || ctx.kw(i + 2) !== 'AS') {
      ctx.syntax(i + 1, 'expected ALWAYS AS (expression) after GENERATED.');
      return -1;
    }
    i += 2;
  }
  const open = i + 1;
  const close = ctx.isOp(open, '(') ? ctx.close(open, to) : -1;
  if (close < 0) {
    ctx.syntax(open, 'expected a parenthesized expression after AS.');
    return -1;
  }
  const generated = { expression: '', stored: false };
  read.column.generated = generated;
  read.deferred.push((columns) => {
    const [a, b] = unwrapParens(ctx.tokens, open, close + 1);
    generated.expression = ctx.expression(a, b, columns);
  });
  let j = close + 1;
  const k = ctx.kw(j);
  if (k === 'STORED' || k === 'PERSISTENT') generated.stored = true, j++;
  else if (k === 'VIRTUAL') j++;
  return j;
}

function readColumnCheck(ctx: ReaderContext, i: number, to: number, read: ColumnRead): number {
  const start = i;
  let name = '';
  if (ctx.kw(i) === 'CONSTRAINT') {
    if (ctx.kw(i + 1) !== 'CHECK') name = ctx.name(i + 1) ?? '', i++;
    if (name && ctx.dialect === 'mariadb') {
      ctx.syntax(i, 'MariaDB does not accept a named CHECK inside a column definition; move CONSTRAINT ... CHECK (...) to the table level.');
      return -1;
    }
    i++;
  }
  if (ctx.kw(i) !== 'CHECK') {
    ctx.syntax(i, 'expected CHECK after CONSTRAINT in a column definition.');
    return -1;
  }
  const open = i + 1;
  const close = ctx.isOp(open, '(') ? ctx.close(open, to) : -1;
  if (close < 0) {
    ctx.syntax(open, 'expected a parenthesized expression after CHECK.');
    return -1;
  }
  const check: Check = { name, expression: '', column: read.column.name, source: ctx.ref(start, close + 1) };
  read.checks.push(check);
  read.deferred.push((columns) => {
    const [a, b] = unwrapParens(ctx.tokens, open, close + 1);
    check.expression = ctx.expression(a, b, columns);
  });
  let j = close + 1;
  if (ctx.kw(j) === 'NOT' && ctx.kw(j + 1) === 'ENFORCED') check.notEnforced = true, j += 2;
  else if (ctx.kw(j) === 'ENFORCED') j++;
  return j;
}
