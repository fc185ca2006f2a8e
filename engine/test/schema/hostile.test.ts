/**
 * Hostile schema files: what each adversarial input reads as (never a throw, never a
 * parser failure, the right diagnostic at the right place). Speed is measured by
 * `npm run bench -- hostile`, never here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GRAMMAR_BUDGET_BYTES } from '../../src/schema/grammar-check.js';
import { tokenize } from '../../src/schema/lexer.js';
import { MAX_NESTING } from '../../src/schema/nesting.js';
import { unwrapParens } from '../../src/schema/expression.js';
import { parseSchemaFile } from '../../src/schema/parse.js';
import { MAX_KEYS } from '../../src/schema/semantic-checks.js';
import { lintSchema } from '../../src/lint/index.js';
import { hostileSchemas } from '../../../test/support/hostile-inputs.js';

const codes = (r: ReturnType<typeof parseSchemaFile>): string[] => r.problems.map((p) => p.code);

test('every hostile generator reads without a throw or a parser failure', () => {
  for (const [name, make] of Object.entries(hostileSchemas)) {
    const r = parseSchemaFile('h.sql', make(64 * 1024));
    assert.ok(!codes(r).includes('parser-failure'), `${name}: ${r.problems.find((p) => p.code === 'parser-failure')?.message}`);
    assert.ok(r.problems.length <= 502, `${name}: ${r.problems.length} problems`);
  }
});

test('nesting one level past the limit is refused where it goes too deep; at the limit it reads', () => {
  // The column list is the first level.
  const at = (depth: number): string => `CREATE TABLE t (a int DEFAULT ${'('.repeat(depth)}1${')'.repeat(depth)})`;
  const ok = parseSchemaFile('n.sql', at(MAX_NESTING - 1));
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.tables[0].columns[0].default, '(1)');

  const deep = parseSchemaFile('n.sql', '\n' + at(MAX_NESTING));
  assert.deepEqual(codes(deep), ['nesting-too-deep']);
  assert.equal(deep.tables.length, 0);
  const p = deep.problems[0];
  assert.equal(p.severity, 'error');
  // Line 2, at the parenthesis that opens level MAX_NESTING + 1.
  assert.deepEqual([p.range.start.line, p.range.start.character], [1, 'CREATE TABLE t (a int DEFAULT '.length + MAX_NESTING - 1]);
  assert.match(p.message, new RegExp(`^Nesting deeper than ${MAX_NESTING} levels at line 2, column ${'CREATE TABLE t (a int DEFAULT '.length + MAX_NESTING}:`));
});

test('CASE and runs of prefix operators count as nesting, as the recursive readers see them', () => {
  const cases = parseSchemaFile('c.sql', hostileSchemas['nested parens in CHECK'](4096).replace(/\(\(+1\)+/, `(${'CASE WHEN a THEN '.repeat(MAX_NESTING)}1${' END'.repeat(MAX_NESTING)})`));
  assert.deepEqual(codes(cases), ['nesting-too-deep']);
  for (const name of ['unary chain', 'NOT chain']) {
    assert.deepEqual(codes(parseSchemaFile('u.sql', hostileSchemas[name](8 * 1024))), ['nesting-too-deep'], name);
  }
  // Short runs are ordinary SQL.
  const r = parseSchemaFile('u.sql', 'CREATE TABLE t (a int DEFAULT -1, CHECK (NOT NOT a > - -1))');
  assert.deepEqual(r.problems, []);
});

test('nested calls keep each call to its own arguments', () => {
  const r = parseSchemaFile('f.sql', `CREATE TABLE t (a int, b varchar(5), CHECK (concat(a, concat(b, 'x'), (a)) <> ''), CHECK (${'abs('.repeat(200)}a${')'.repeat(200)} > 0))`);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.tables[0].checks.map((c) => c.expression),
    ["concat(`a`,concat(`b`,'x'),`a`) <> ''", `${'abs('.repeat(200)}\`a\`${')'.repeat(200)} > 0`],
  );
});

test('a long operator chain is printed token by token (no recursion per operator)', () => {
  const r = parseSchemaFile('o.sql', `CREATE TABLE t (a int, CHECK (${'a+'.repeat(5000)}a > 0))`);
  assert.deepEqual(r.problems, []);
  assert.equal(r.tables[0].checks[0].expression, `${'`a` + '.repeat(5000)}\`a\` > 0`);
});

test('unwrapParens strips only pairs that wrap the whole range', () => {
  const strip = (sql: string): string => {
    const { tokens } = tokenize(sql);
    const [a, b] = unwrapParens(tokens, 0, tokens.length);
    return tokens.slice(a, b).map((t) => t.value).join(' ');
  };
  assert.equal(strip('((a + b))'), 'a + b');
  assert.equal(strip('(a) + (b)'), '( a ) + ( b )');
  assert.equal(strip('((a) + (b))'), '( a ) + ( b )');
  assert.equal(strip('(' .repeat(100) + 'x' + ')'.repeat(100)), 'x');
});

test('past the grammar-check budget, a file is still read and one warning says what was not checked', () => {
  const big = hostileSchemas['long operator chain'](GRAMMAR_BUDGET_BYTES + 16 * 1024);
  const r = parseSchemaFile('b.sql', `${big}\nCREATE TABLE u (id int);`);
  assert.deepEqual(codes(r), ['grammar-check-skipped']);
  const p = r.problems[0];
  assert.equal(p.severity, 'warning');
  assert.equal(p.kind, 'unsupported');
  assert.match(p.message, /not an error in your file/);
  assert.deepEqual(r.tables.map((t) => t.name), ['t', 'u']);
  // Under the budget nothing is skipped.
  assert.deepEqual(codes(parseSchemaFile('s.sql', hostileSchemas['long operator chain'](16 * 1024))), []);
});

test('a statement with a problem per word stops at the problem limit instead of overflowing', () => {
  // 260,000 problems: push(...problems) used to overflow the stack (a parser failure).
  const r = parseSchemaFile('w.sql', hostileSchemas['many stray words'](512 * 1024));
  assert.equal(r.problems.length, 501);
  assert.equal(r.problems[500].code, 'too-many-problems');
  assert.ok(r.problems[500].range.start.offset > r.problems[499].range.start.offset, 'the limit is reported where the dropped problems begin');
  const dup = parseSchemaFile('d.sql', hostileSchemas['duplicate columns'](64 * 1024));
  assert.equal(dup.problems.filter((p) => p.code === 'duplicate-column').length, 500);
  assert.ok(codes(dup).includes('too-many-problems'));
});

test('unterminated strings and comments are reported where they start', () => {
  const s = parseSchemaFile('s.sql', hostileSchemas['unterminated string'](64 * 1024));
  assert.deepEqual(codes(s), ['unterminated-string']);
  assert.equal(s.problems[0].range.start.character, "CREATE TABLE t (a varchar(10) DEFAULT '".length - 1);
  const c = parseSchemaFile('c.sql', hostileSchemas['repeated comment openers'](64 * 1024));
  assert.deepEqual(codes(c), ['unterminated-comment']);
});

test('nolint codes are collected once each, in order, however many a comment lists', () => {
  const r = parseSchemaFile('n.sql', '-- schemabranch:nolint a, b, a\n/* schemabranch:nolint c b */\nCREATE TABLE t (a int);');
  assert.deepEqual(r.tables[0].nolint, ['a', 'b', 'c']);
  const long = parseSchemaFile('l.sql', hostileSchemas['long nolint list'](128 * 1024));
  const nolint = long.tables[0].nolint;
  assert.equal(nolint.length, new Set(nolint).size);
  assert.deepEqual([nolint[0], nolint[nolint.length - 1]], ['c0', `c${nolint.length - 1}`]);
  assert.ok(nolint.length > 10_000);
});

test('a 65th key is an error at that key, and the pairwise index rules skip such a table', () => {
  const keys = (n: number): string => `CREATE TABLE t (a int, b int${Array.from({ length: n }, (_, i) => `,\n  KEY k${i} (a)`).join('')});`;
  const ok = parseSchemaFile('k.sql', keys(MAX_KEYS));
  assert.deepEqual(codes(ok), []);
  assert.equal(lintSchema({ tables: ok.tables }).filter((v) => v.code === 'duplicate-index').length, MAX_KEYS - 1);
  const over = parseSchemaFile('k.sql', keys(MAX_KEYS + 1));
  assert.deepEqual(codes(over), ['too-many-keys']);
  assert.equal(over.problems[0].range.start.line, MAX_KEYS + 1);
  const many = parseSchemaFile('m.sql', hostileSchemas['many keys on one column'](256 * 1024));
  assert.ok(codes(many).includes('too-many-keys'));
  assert.deepEqual(lintSchema({ tables: many.tables }).filter((v) => v.code === 'duplicate-index' || v.code === 'redundant-index'), []);
});
