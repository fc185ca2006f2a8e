import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenize } from '../../src/schema/lexer.js';
import { splitStatements } from '../../src/schema/split.js';

const textOf = (src: string) => splitStatements(src).statements.map((s) => src.slice(s.start, s.end));

test('splits at top-level semicolons, with offsets that slice back to each statement', () => {
  const src = "CREATE TABLE a (x int);\n\nCREATE TABLE b (y int) ;CREATE TABLE c (z int)";
  assert.deepEqual(textOf(src), ['CREATE TABLE a (x int)', 'CREATE TABLE b (y int)', 'CREATE TABLE c (z int)']);
  const st = splitStatements(src).statements[1];
  assert.equal(st.start, src.indexOf('CREATE TABLE b'));
});

test('semicolons inside strings, identifiers and comments do not split', () => {
  const src = [
    "CREATE TABLE a (x varchar(3) DEFAULT ';', `we;ird` int COMMENT 'it''s; \\' fine'); -- a; comment",
    '# hash; comment',
    '/* block; comment */ CREATE TABLE b (y int DEFAULT "q;uote")',
  ].join('\n');
  const parts = textOf(src);
  assert.equal(parts.length, 2);
  assert.match(parts[0], /^CREATE TABLE a .*fine'\)$/);
  assert.match(parts[1], /^CREATE TABLE b/);
});

test('`--` starts a comment only when followed by whitespace (MySQL rule)', () => {
  const src = 'CREATE TABLE a (x int DEFAULT 1--1\n);';
  const st = splitStatements(src).statements;
  assert.equal(st.length, 1);
  assert.ok(st[0].tokens.some((t) => t.value === '--' || t.value === '-'), '1--1 is an expression, not a comment');
});

test('nolint comments before or inside a statement belong to it, and only to it', () => {
  const src = [
    '-- schemabranch:nolint no-primary-key, wide-varchar',
    'CREATE TABLE a (',
    '  x int -- schemabranch:nolint nullable-column',
    ');',
    '/* schemabranch:nolint  float-type */',
    'CREATE TABLE b (y int);',
    'CREATE TABLE c (z int);',
    'CREATE TABLE d (w int) -- schemabranch:nolint before-the-semicolon',
    ';',
    '-- schemabranch:nolint trailing-only',
  ].join('\n');
  const st = splitStatements(src).statements;
  assert.deepEqual(st.map((s) => s.nolint), [['no-primary-key', 'wide-varchar', 'nullable-column'], ['float-type'], [], ['before-the-semicolon']]);
});

test('unterminated string, identifier and comment become problems of the statement they cut short', () => {
  for (const [src, code] of [
    ["CREATE TABLE a (x int);\nCREATE TABLE b (y varchar(3) DEFAULT 'oops)", 'unterminated-string'],
    ['CREATE TABLE a (x int);\nCREATE TABLE `b (y int)', 'unterminated-identifier'],
    ['CREATE TABLE a (x int);\nCREATE TABLE b (y int) /* never closed', 'unterminated-comment'],
  ] as const) {
    const { statements } = splitStatements(src);
    assert.equal(statements.length, 2, src);
    assert.equal(statements[0].lexProblem, undefined);
    assert.equal(statements[1].lexProblem?.code, code);
  }
});

test('an unterminated comment right after a semicolon is a statement of its own', () => {
  const { statements } = splitStatements('CREATE TABLE a (x int); /* open');
  assert.equal(statements.length, 2);
  assert.equal(statements[1].lexProblem?.code, 'unterminated-comment');
});

test('versioned comments the server runs are code: their markers are recorded, their content tokenized', () => {
  const src = 'CREATE TABLE a (x int /*!80023 INVISIBLE */) /*!50100 COMMENT="v" */';
  const [st] = splitStatements(src, { flavor: 'mysql', version: 80036 }).statements;
  assert.equal(st.versionMarks.length, 4);
  assert.ok(st.tokens.some((t) => t.value === 'INVISIBLE'));
});

test('executable comments are code only where the target server runs them (MariaDB 10.11 by default)', () => {
  const src = 'CREATE TABLE t (a int /*!50600 , b int */ /*!50705 , c int */ /*!80003 , d int */ /*!99999 , e int */ /*!100000 , f int */ /*M!100500 , g int */ /*!, h int */)';
  const words = (server?: Parameters<typeof splitStatements>[1]): string[] =>
    splitStatements(src, server).statements[0].tokens.filter((t) => t.kind === 'word' && t.value !== 'int').map((t) => t.value).slice(3);
  assert.deepEqual(words(), ['a', 'b', 'f', 'g', 'h'], 'MariaDB skips MySQL 5.7+ versions (50700-99999) and runs its own /*M!');
  assert.deepEqual(words({ flavor: 'mariadb', version: 100400 }), ['a', 'b', 'f', 'h'], 'MariaDB 10.4 does not run /*M!100500');
  assert.deepEqual(words({ flavor: 'mysql', version: 80036 }), ['a', 'b', 'c', 'd', 'h'], 'MySQL 8.0.36 runs up to its version and reads /*M! as a comment');
  const marks = splitStatements(src).statements[0].versionMarks.map((m) => src.slice(m.start, m.end));
  assert.deepEqual(marks, ['/*!50600', '*/', '/*!100000', '*/', '/*M!100500', '*/', '/*!', '*/'], 'only the comments that run leave marks');
});

test("each statement stops at its delimiter's offset (the text's end for the last, unterminated one); tokens lexed by the caller split the same", () => {
  const src = 'CREATE TABLE a (x int);\nDELIMITER $$\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END$$\nDELIMITER ;\nCREATE TABLE b (y int)';
  const { statements } = splitStatements(src);
  assert.deepEqual(statements.map((s) => src.slice(s.stop, s.stop + 2)), [';\n', '$$', '']);
  assert.equal(statements[2].stop, src.length);
  const lexed = tokenize(src);
  assert.deepEqual(splitStatements(src, undefined, lexed).statements.map((s) => [s.start, s.end, s.stop]), statements.map((s) => [s.start, s.end, s.stop]));
});
