import type { Column, ColumnType } from './model.js';
import { canonicalCharset, canonicalCollation, charsetOfCollation, defaultCollation, maxBytesPerChar } from './charsets.js';
import { tokenize } from './lexer.js';
import { unwrapParens } from './expression.js';
import { quoteString } from '../sql/quote.js';

export type Flavor = 'mariadb' | 'mysql';

const SYNONYMS: Record<string, string> = {
  integer: 'int', int1: 'tinyint', int2: 'smallint', int3: 'mediumint', int4: 'int', int8: 'bigint', middleint: 'mediumint',
  dec: 'decimal', numeric: 'decimal', fixed: 'decimal', float4: 'float', float8: 'double', real: 'double', 'double precision': 'double',
  character: 'char', nchar: 'char', 'national char': 'char', 'national character': 'char', 'char varying': 'varchar',
  'character varying': 'varchar', nvarchar: 'varchar', 'national varchar': 'varchar', long: 'mediumtext', 'long varchar': 'mediumtext',
  'long varbinary': 'mediumblob', geomcollection: 'geometrycollection',
};
const NATIONAL = new Set(['nchar', 'national char', 'national character', 'nvarchar', 'national varchar']);

export const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint']);
const STRING_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);
/** Display widths a server gives an integer column that declares none: signed, then unsigned (and ZEROFILL). */
const SIGNED_WIDTH: Record<string, number> = { tinyint: 4, smallint: 6, mediumint: 9, int: 11, bigint: 20 };
const UNSIGNED_WIDTH: Record<string, number> = { tinyint: 3, smallint: 5, mediumint: 8, int: 10, bigint: 20 };
const TEXT_SIZES: Array<[number, string, string]> = [[255, 'tinytext', 'tinyblob'], [65535, 'text', 'blob'], [16777215, 'mediumtext', 'mediumblob']];

export function isStringType(base: string): boolean {
  return STRING_TYPES.has(base);
}

/** Column with its type, charset and default in the one spelling a server prints. */
export function normalizeColumn(col: Column, table: { charset: string; collation: string }, flavor: Flavor, collations?: Record<string, string>): void {
  const t = col.type;
  if (NATIONAL.has(t.base) && !col.charset) col.charset = 'utf8mb3';
  if (t.base === 'bool' || t.base === 'boolean') Object.assign(t, { base: 'tinyint', length: 1 });
  if (t.base === 'serial') {
    Object.assign(t, { base: 'bigint', unsigned: true });
    col.nullable = false;
    col.autoIncrement = true;
  }
  t.base = SYNONYMS[t.base] ?? t.base;
  if (t.base === 'json' && flavor === 'mariadb') {
    // MariaDB's JSON is an alias: LONGTEXT utf8mb4_bin (plus a json_valid CHECK, added by the caller).
    t.base = 'longtext';
    col.charset = 'utf8mb4';
    col.collation = 'utf8mb4_bin';
  }
  normalizeType(t, flavor);

  // Charset: resolved fully, then left out when it is the table's (SHOW CREATE prints only differences).
  if (col.charset && canonicalCharset(col.charset) === 'binary' && /^(char|varchar|tinytext|text|mediumtext|longtext)$/.test(t.base)) {
    t.base = ({ char: 'binary', varchar: 'varbinary', tinytext: 'tinyblob', text: 'blob', mediumtext: 'mediumblob', longtext: 'longblob' } as Record<string, string>)[t.base];
    delete col.charset;
    delete col.collation;
  }
  if (isStringType(t.base)) {
    let charset = col.charset ? canonicalCharset(col.charset) : undefined;
    let collation = col.collation ? canonicalCollation(col.collation) : undefined;
    if (collation && !charset) charset = charsetOfCollation(collation);
    if (col.binaryCollation && !collation) {
      charset ??= table.charset;
      collation = `${charset}_bin`;
    }
    if (charset && !collation) collation = charset === table.charset ? table.collation : defaultCollation(charset, flavor, collations);
    if (!charset || (charset === table.charset && collation === table.collation)) {
      delete col.charset;
      delete col.collation;
    } else {
      col.charset = charset;
      col.collation = collation;
    }
    if (/^(tiny|medium|long)?text$/.test(t.base) && t.length !== undefined) {
      t.base = sizedLob(t.length * maxBytesPerChar(charset ?? table.charset), 1);
      delete t.length;
    }
  } else {
    delete col.charset;
    delete col.collation;
    if (/^(tiny|medium|long)?blob$/.test(t.base) && t.length !== undefined) {
      t.base = sizedLob(t.length, 2);
      delete t.length;
    }
  }

  delete col.binaryCollation;
  if (col.autoIncrement) col.nullable = false;
  if (col.comment === '') delete col.comment;
  if (!col.invisible) delete col.invisible;
  col.default = normalizeDefault(col, flavor);
  if (col.default === undefined) delete col.default;
  if (col.onUpdate !== undefined) col.onUpdate = normalizeFunctionDefault(col.onUpdate);
}

function sizedLob(bytes: number, which: 1 | 2): string {
  for (const size of TEXT_SIZES) if (bytes <= size[0]) return size[which];
  return which === 1 ? 'longtext' : 'longblob';
}

function normalizeType(t: ColumnType, flavor: Flavor): void {
  if (t.zerofill) t.unsigned = true;
  if (INTEGER_TYPES.has(t.base)) {
    // MariaDB keeps the display width as declared (tinyint(1) is how drivers spell a boolean) and
    // fills in its own when none is; MySQL 8 drops it except for ZEROFILL and tinyint(1).
    if (flavor === 'mariadb' || t.zerofill) t.length ??= (t.unsigned ? UNSIGNED_WIDTH : SIGNED_WIDTH)[t.base];
    else if (!(t.base === 'tinyint' && t.length === 1)) delete t.length;
    delete t.scale;
  } else if (t.base === 'decimal') {
    t.length ??= 10;
    t.scale ??= 0;
  } else if (t.base === 'float' && t.length !== undefined && t.scale === undefined) {
    // FLOAT(p): a precision in bits picks FLOAT or DOUBLE.
    t.base = t.length > 24 ? 'double' : 'float';
    delete t.length;
  } else if (t.base === 'bit' || t.base === 'char' || t.base === 'binary') {
    t.length ??= 1;
  } else if (t.base === 'year') {
    delete t.length;
  } else if ((t.base === 'datetime' || t.base === 'timestamp' || t.base === 'time') && t.length === 0) {
    delete t.length;
  }
  if (!t.unsigned) delete t.unsigned;
  if (!t.zerofill) delete t.zerofill;
}

function normalizeDefault(col: Column, flavor: Flavor): string | undefined {
  const d = col.default;
  if (d === undefined) return col.nullable && !col.generated && !col.autoIncrement ? 'NULL' : undefined;
  if (d.toUpperCase() === 'NULL') return col.nullable ? 'NULL' : d;
  const base = col.type.base;
  const literal = unquote(d);
  if (INTEGER_TYPES.has(base) && literal !== undefined && /^[+-]?\d+(\.\d*)?$/.test(literal.trim())) return integerText(literal.trim());
  if (base === 'decimal' && literal !== undefined && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(literal.trim())) return decimalText(literal.trim(), col.type.scale ?? 0);
  if ((base === 'float' || base === 'double') && literal !== undefined && literal.trim() !== '' && !Number.isNaN(Number(literal))) return String(Number(literal));
  if ((base === 'datetime' || base === 'timestamp') && d.startsWith("'")) return datetimeLiteral(d, col.type.length ?? 0);
  if (base === 'binary' && d.startsWith("'")) return paddedBinary(d, col.type.length ?? 1);
  if (d.startsWith("'") || /^[+-]?[\d.]/.test(d) || /^(b|x|0x)/i.test(d)) return d;
  return expressionDefault(d, flavor);
}

/** BINARY(n) is fixed-length: the server pads a shorter default with NUL bytes, and shows it so. */
function paddedBinary(d: string, length: number): string {
  const [literal] = tokenize(d).tokens;
  if (!literal || literal.kind !== 'string') return d;
  const missing = length - Buffer.byteLength(literal.value, 'utf8');
  return missing > 0 ? quoteString(literal.value + '\0'.repeat(missing)) : d;
}

function unquote(d: string): string | undefined {
  if (/^'.*'$/s.test(d)) return d.slice(1, -1).replace(/''/g, "'");
  if (/^[+-]?[\d.]/.test(d)) return d;
  return undefined;
}

function integerText(s: string): string {
  const neg = s.startsWith('-');
  const digits = s.replace(/^[+-]/, '').split('.')[0].replace(/^0+(?=\d)/, '');
  return neg && digits !== '0' ? '-' + digits : digits;
}

function decimalText(s: string, scale: number): string {
  const neg = s.startsWith('-');
  const [intPart = '0', frac = ''] = s.replace(/^[+-]/, '').split('.');
  const whole = intPart.replace(/^0+(?=\d)/, '') || '0';
  const fraction = scale > 0 ? '.' + (frac + '0'.repeat(scale)).slice(0, scale) : '';
  const text = whole + fraction;
  return neg && /[1-9]/.test(text) ? '-' + text : text;
}

function datetimeLiteral(d: string, precision: number): string {
  const v = d.slice(1, -1);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?)?$/.exec(v);
  if (!m) return d;
  const pad = (x: string | undefined): string => (x ?? '0').padStart(2, '0');
  const frac = precision > 0 ? '.' + ((m[5] ?? '') + '0'.repeat(precision)).slice(0, precision) : '';
  return `'${m[1]} ${pad(m[2])}:${pad(m[3])}:${pad(m[4])}${frac}'`;
}

const FUNCTION_SPELLINGS: Record<string, string> = {
  'current_date': 'curdate()', 'current_date()': 'curdate()', 'curdate()': 'curdate()',
  'current_time': 'curtime()', 'current_time()': 'curtime()', 'curtime()': 'curtime()',
  'current_user': 'current_user()', 'current_user()': 'current_user()',
};

function normalizeFunctionDefault(text: string): string {
  return FUNCTION_SPELLINGS[text] ?? text;
}

/**
 * DEFAULT (expr): MariaDB prints a lone function call bare and other expressions in
 * parentheses; MySQL 8 wants parentheses around anything but a literal or CURRENT_TIMESTAMP.
 */
function expressionDefault(d: string, flavor: Flavor): string {
  const inner = normalizeFunctionDefault(stripParens(d));
  if (/^current_timestamp\(\d*\)$/.test(inner)) return inner;
  if (flavor === 'mariadb' && (isSingleCall(inner) || /^'.*'$/s.test(inner) || /^-?[\d.]+$/.test(inner))) return inner;
  return `(${inner})`;
}

function stripParens(text: string): string {
  const { tokens } = tokenize(text);
  if (tokens.length === 0) return text;
  const [a, b] = unwrapParens(tokens, 0, tokens.length);
  if (a === 0) return text;
  return text.slice(tokens[a].start, tokens[b - 1].end);
}

function isSingleCall(text: string): boolean {
  const { tokens } = tokenize(text);
  if (tokens.length < 3 || tokens[0].kind !== 'word' || tokens[1].value !== '(') return false;
  let depth = 0;
  for (let i = 1; i < tokens.length; i++) {
    if (tokens[i].kind !== 'op') continue;
    if (tokens[i].value === '(') depth++;
    else if (tokens[i].value === ')' && --depth === 0) return i === tokens.length - 1;
  }
  return false;
}
