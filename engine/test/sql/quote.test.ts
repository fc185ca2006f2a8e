import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Table } from '../../src/schema/model.js';
import { renderColumnDefinition, renderCreateTable, renderForeignKey, renderIndexDefinition, renderTableOptions } from '../../src/sql/ddl.js';
import { InvalidIdentifierError, quoteIdent, quoteString, UnsafeSqlTextError } from '../../src/sql/quote.js';
import { knownWord, sqlExpression, sqlWord } from '../../src/sql/words.js';

test('quoteString: quotes doubled; backslash, NUL, CR and LF escaped; everything else as written', () => {
  assert.equal(quoteString(''), "''");
  assert.equal(quoteString("it's"), "'it''s'");
  assert.equal(quoteString('a\\b'), "'a\\\\b'");
  assert.equal(quoteString("\\'"), "'\\\\'''");
  assert.equal(quoteString('a\0b\nc\rd'), "'a\\0b\\nc\\rd'");
  assert.equal(quoteString('tab\there `x` "y" ; -- /* # é 😀'), "'tab\there `x` \"y\" ; -- /* # é 😀'");
});

test('quoteIdent refuses what the server cannot store, including characters beyond U+FFFF', () => {
  assert.equal(quoteIdent('a`b'), '`a``b`');
  for (const bad of ['', 'a\0', 'x'.repeat(65), 'trailing ', 'e\u{1F600}']) assert.throws(() => quoteIdent(bad), InvalidIdentifierError, JSON.stringify(bad));
});

test('closed-list words: canonical spelling for known ones, undefined for anything else', () => {
  assert.equal(knownWord('engine', 'innodb'), 'InnoDB');
  assert.equal(knownWord('engine', 'InnoDB; DROP DATABASE canary; --'), undefined);
  assert.equal(knownWord('charset', 'UTF8MB4'), 'utf8mb4');
  assert.equal(knownWord('charset', 'utf8mb4 '), undefined);
  assert.equal(knownWord('collation', 'utf8mb4_uca1400_ai_ci'), 'utf8mb4_uca1400_ai_ci');
  assert.equal(knownWord('collation', 'binary'), 'binary');
  assert.equal(knownWord('collation', 'nosuchset_bin'), undefined);
  assert.equal(knownWord('collation', 'utf8mb4_bin;'), undefined);
  assert.equal(knownWord('row format', 'dynamic'), 'DYNAMIC');
  assert.equal(knownWord('row format', 'DYNAMIC KEY_BLOCK_SIZE=1'), undefined);
  assert.throws(() => sqlWord('engine', 'x`y'), (e: Error) => e instanceof UnsafeSqlTextError && e.message.includes('"x`y"') && e.message.includes('InnoDB'));
});

test('sqlExpression refuses comments, version comments, separators and unclosed quotes outside string literals', () => {
  assert.equal(sqlExpression("concat(`a`,'; -- /* #')", 'x'), "concat(`a`,'; -- /* #')");
  assert.equal(sqlExpression('`a` - -1', 'x'), '`a` - -1');
  for (const bad of ['1; DROP DATABASE canary', '1 -- x', '1 # x', '1 /* x */', '1 /*!50100 x */', "'open", '`open', '1 --\t']) {
    assert.throws(() => sqlExpression(bad, 'default'), UnsafeSqlTextError, bad);
  }
});

const TABLE: Table = {
  name: 't',
  columns: [{ name: 'id', type: { base: 'int' }, nullable: false, autoIncrement: false }],
  indexes: [],
  foreignKeys: [],
  checks: [],
  options: {},
  nolint: [],
};

test('the renderer refuses a model whose words or expressions did not come from the parser', () => {
  const col = TABLE.columns[0];
  const unsafe: Array<() => string> = [
    () => renderTableOptions({ engine: 'InnoDB; DROP DATABASE canary; --' }),
    () => renderTableOptions({ charset: 'utf8mb4 COLLATE x' }),
    () => renderColumnDefinition({ ...col, type: { base: 'int) ; DROP DATABASE x; -- (' } }),
    () => renderColumnDefinition({ ...col, type: { base: 'varchar', length: '1); DROP DATABASE x' as unknown as number } }),
    () => renderTableOptions({ collation: 'utf8mb4_bin;' }),
    () => renderTableOptions({ rowFormat: 'DYNAMIC,x' }),
    () => renderTableOptions({ other: { 'KEY_BLOCK_SIZE=1;': '1' } }),
    () => renderTableOptions({ other: { UNION: '(`a`); DROP DATABASE canary' } }),
    () => renderColumnDefinition({ ...col, charset: 'latin1;' }),
    () => renderColumnDefinition({ ...col, default: "0; DROP DATABASE canary; -- '" }),
    () => renderColumnDefinition({ ...col, onUpdate: 'now() -- x' }),
    () => renderColumnDefinition({ ...col, generated: { expression: '1) STORED; DROP DATABASE x; -- ', stored: true } }),
    () => renderIndexDefinition({ name: 'k', kind: 'index', parts: [{ column: '', expression: '1 /* x */' }] }),
    () => renderIndexDefinition({ name: 'k', kind: 'index', parts: [{ column: 'id' }], using: 'rtree; x' as 'btree' }),
    () => renderForeignKey({ name: 'f', columns: ['id'], refTable: 'u', refColumns: ['id'], onDelete: 'CASCADE; DROP DATABASE x' }),
    () => renderCreateTable({ ...TABLE, checks: [{ name: 'c', expression: '1); DROP DATABASE x; -- ' }] }),
    () => renderCreateTable({ ...TABLE, options: { partitioning: 'PARTITION BY HASH(id); DROP DATABASE x' } }),
  ];
  for (const render of unsafe) assert.throws(render, UnsafeSqlTextError, render.toString());
  assert.equal(
    renderTableOptions({ engine: 'innodb', charset: 'utf8mb4', collation: 'utf8mb4_bin', rowFormat: 'dynamic', other: { UNION: '(`a`,`b`)', KEY_BLOCK_SIZE: '8' }, comment: "c'" }),
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC KEY_BLOCK_SIZE=8 UNION=(`a`,`b`) COMMENT='c'''",
  );
});
