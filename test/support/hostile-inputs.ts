/**
 * Adversarial inputs of a chosen size: what a hostile (or merely generated) repository can
 * put in a schema file or in schemabranch.json. Shared by the correctness tests (no throw,
 * the right diagnostic) and `npm run bench -- hostile` (worst-case times against a linear
 * baseline of the same size).
 */

/** Repeats `unit` until the text is about `bytes` long. */
function fill(bytes: number, unit: string): number {
  return Math.max(1, Math.floor(bytes / unit.length));
}

/** Generators of schema file text, each taking a target size in bytes. */
export const hostileSchemas: Record<string, (bytes: number) => string> = {
  /** The ordinary case, for the linear baseline: many plain tables. */
  'ordinary tables': (bytes) => {
    let out = '';
    for (let i = 0; out.length < bytes; i++) out += `CREATE TABLE t${i} (\n  id int NOT NULL,\n  name varchar(100) NOT NULL DEFAULT 'x',\n  total decimal(10,2) CHECK (total >= 0),\n  PRIMARY KEY (id),\n  KEY by_name (name)\n);\n`;
    return out;
  },
  'nested parens (bare file)': (bytes) => '('.repeat(fill(bytes / 2, '(')) + ')'.repeat(fill(bytes / 2, ')')),
  'nested parens in DEFAULT': (bytes) => nested(bytes, (e) => `CREATE TABLE t (a int DEFAULT ${e});`),
  'nested parens in CHECK': (bytes) => nested(bytes, (e) => `CREATE TABLE t (a int, CHECK ${e});`),
  'nested parens in a generated column': (bytes) => nested(bytes, (e) => `CREATE TABLE t (a int, b int AS ${e});`),
  'nested function calls': (bytes) => {
    const n = fill(bytes, 'abs()');
    return `CREATE TABLE t (a int, CHECK (${'abs('.repeat(n)}a${')'.repeat(n)} > 0));`;
  },
  'unclosed parens': (bytes) => `CREATE TABLE t (a int DEFAULT ${'('.repeat(fill(bytes, '('))}`,
  'long operator chain': (bytes) => `CREATE TABLE t (a int, CHECK (${'a+'.repeat(fill(bytes, 'a+'))}a > 0));`,
  'unary chain': (bytes) => `CREATE TABLE t (a int, CHECK (${'- '.repeat(fill(bytes, '- '))}a > 0));`,
  'NOT chain': (bytes) => `CREATE TABLE t (a int, CHECK (${'NOT '.repeat(fill(bytes, 'NOT '))}a));`,
  'many columns': (bytes) => `CREATE TABLE t (${Array.from({ length: fill(bytes, 'c00000 int, ') }, (_, i) => `c${i} int`).join(', ')});`,
  'duplicate columns': (bytes) => `CREATE TABLE t (${'c int,'.repeat(fill(bytes, 'c int,'))} d int);`,
  'inline checks on one column': (bytes) => `CREATE TABLE t (a int${' CHECK (a)'.repeat(fill(bytes, ' CHECK (a)'))});`,
  'many keys on one column': (bytes) => `CREATE TABLE t (a int${Array.from({ length: fill(bytes, ', KEY k00000 (a)') }, (_, i) => `, KEY k${i} (a)`).join('')});`,
  'many distinct keys': (bytes) => {
    const n = Math.floor(Math.sqrt(fill(bytes, ', KEY k00000 (c000, c000)')));
    const cols = Array.from({ length: n }, (_, i) => `c${i} int`).join(', ');
    const keys = Array.from({ length: n * n }, (_, i) => `, KEY k${i} (c${i % n}, c${Math.floor(i / n)})`).join('');
    return `CREATE TABLE t (${cols}${keys});`;
  },
  'many foreign keys': (bytes) => `CREATE TABLE t (a int${Array.from({ length: fill(bytes, ', FOREIGN KEY (a) REFERENCES t (a)') }, () => ', FOREIGN KEY (a) REFERENCES t (a)').join('')});`,
  'long key column list': (bytes) => {
    const n = fill(bytes, 'c00000,');
    const cols = Array.from({ length: n }, (_, i) => `c${i}`);
    return `CREATE TABLE t (a int, KEY k (${cols.join(',')}));`;
  },
  'huge enum': (bytes) => `CREATE TABLE t (a enum(${Array.from({ length: fill(bytes, "'v00000',") }, (_, i) => `'v${i}'`).join(',')}));`,
  'huge IN list': (bytes) => `CREATE TABLE t (a int, CHECK (a IN (${Array.from({ length: fill(bytes, '100000,') }, (_, i) => i).join(',')})));`,
  'many statements': (bytes) => 'CREATE TABLE t (a int);\n'.repeat(fill(bytes, 'CREATE TABLE t (a int);\n')),
  'many semicolons': (bytes) => ';'.repeat(bytes),
  'unterminated string': (bytes) => `CREATE TABLE t (a varchar(10) DEFAULT '${'x'.repeat(bytes)}`,
  'unterminated comment': (bytes) => `CREATE TABLE t (a int); /*${'x'.repeat(bytes)}`,
  'repeated comment openers': (bytes) => '/*'.repeat(fill(bytes, '/*')),
  'repeated version comments': (bytes) => '/*!50100 '.repeat(fill(bytes, '/*!50100 ')),
  'repeated quotes': (bytes) => "'".repeat(bytes),
  'escaped string': (bytes) => `CREATE TABLE t (a varchar(10) DEFAULT '${'\\n'.repeat(fill(bytes, '\\n'))}');`,
  'huge quoted identifier': (bytes) => `CREATE TABLE \`${'x'.repeat(bytes)}\` (a int);`,
  'huge comment': (bytes) => `-- ${'x'.repeat(bytes)}\nCREATE TABLE t (a int);`,
  'long nolint list': (bytes) => `-- schemabranch:nolint ${Array.from({ length: fill(bytes, 'c00000,') }, (_, i) => `c${i}`).join(',')}\nCREATE TABLE t (a int);`,
  'many nolint comments': (bytes) => `${'-- schemabranch:nolint x\n'.repeat(fill(bytes, '-- schemabranch:nolint x\n'))}CREATE TABLE t (a int);`,
  'many stray words': (bytes) => 'CREATE TABLE t (a int) '.concat('x '.repeat(fill(bytes, 'x '))) + ';',
};

function nested(bytes: number, wrap: (expression: string) => string): string {
  const n = fill(bytes, '()');
  return wrap('('.repeat(n) + '1' + ')'.repeat(n));
}

/** Generators of schemabranch.json text. */
export const hostileConfigs: Record<string, (n: number) => string> = {
  /** n unknown keys in the root object. */
  'many keys': (n) => `{\n${Array.from({ length: n }, (_, i) => `  "key${i}": ${i}`).join(',\n')}\n}\n`,
  /** n nested arrays. */
  'deep arrays': (n) => '['.repeat(n) + ']'.repeat(n),
  /** n nested objects. */
  'deep objects': (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n),
  /** A long array of numbers. */
  'long number array': (n) => `{"lint": {"charsets": [${Array.from({ length: n }, (_, i) => i).join(', ')}]}}`,
  /** An unclosed array of strings. */
  'unclosed array': (n) => `{"lint": {"charsets": [${'"utf8mb4", '.repeat(n)}`,
};
