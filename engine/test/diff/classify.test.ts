import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddedColumn, classifyColumnChange, classifyTypeChange, worstClass } from '../../src/diff/classify.js';
import type { ColumnType } from '../../src/schema/model.js';
import { col } from './build.js';

const code = (from: ColumnType, to: ColumnType): string | undefined => classifyTypeChange(from, to)?.code;

test('integer changes: wider is safe, narrower or sign-losing is data-dependent', () => {
  assert.equal(code({ base: 'int' }, { base: 'bigint' }), undefined);
  assert.equal(code({ base: 'tinyint', unsigned: true }, { base: 'smallint' }), undefined);
  assert.equal(code({ base: 'bigint' }, { base: 'int' }), 'narrowed-type');
  assert.equal(code({ base: 'int' }, { base: 'int', unsigned: true }), 'signedness-changed');
  assert.equal(code({ base: 'int', unsigned: true }, { base: 'int' }), 'signedness-changed');
  assert.equal(code({ base: 'int', length: 11 }, { base: 'int', length: 10 }), undefined);
});

test('string, binary, text and blob lengths', () => {
  assert.equal(code({ base: 'varchar', length: 50 }, { base: 'varchar', length: 200 }), undefined);
  assert.equal(code({ base: 'varchar', length: 200 }, { base: 'varchar', length: 50 }), 'narrowed-length');
  assert.equal(code({ base: 'char', length: 4 }, { base: 'varchar', length: 8 }), undefined);
  assert.equal(code({ base: 'varchar', length: 8 }, { base: 'char', length: 8 }), 'changed-type');
  assert.equal(code({ base: 'varbinary', length: 100 }, { base: 'varbinary', length: 50 }), 'narrowed-length');
  assert.equal(code({ base: 'text' }, { base: 'mediumtext' }), undefined);
  assert.equal(code({ base: 'mediumtext' }, { base: 'text' }), 'narrowed-type');
  assert.equal(code({ base: 'blob' }, { base: 'longblob' }), undefined);
  assert.equal(code({ base: 'varchar', length: 1000 }, { base: 'text' }), undefined);
  assert.equal(code({ base: 'text' }, { base: 'varchar', length: 1000 }), 'narrowed-length');
  assert.equal(code({ base: 'bit', length: 8 }, { base: 'bit', length: 1 }), 'narrowed-length');
});

test('decimal, float and temporal precision', () => {
  assert.equal(code({ base: 'decimal', length: 10, scale: 2 }, { base: 'decimal', length: 12, scale: 4 }), undefined);
  assert.equal(code({ base: 'decimal', length: 12, scale: 4 }, { base: 'decimal', length: 8, scale: 2 }), 'narrowed-precision');
  assert.equal(code({ base: 'decimal', length: 10, scale: 2 }, { base: 'decimal', length: 10, scale: 3 }), 'narrowed-precision');
  assert.equal(code({ base: 'float' }, { base: 'double' }), undefined);
  assert.equal(code({ base: 'double' }, { base: 'float' }), 'narrowed-type');
  assert.equal(code({ base: 'datetime', length: 3 }, { base: 'datetime', length: 6 }), undefined);
  assert.equal(code({ base: 'datetime', length: 6 }, { base: 'datetime' }), 'narrowed-precision');
  assert.equal(code({ base: 'date' }, { base: 'datetime' }), undefined);
  assert.equal(code({ base: 'datetime' }, { base: 'timestamp' }), 'changed-type');
  assert.equal(code({ base: 'varchar', length: 10 }, { base: 'int' }), 'changed-type');
});

test('enum and set members: appended is safe, removed or reordered is not', () => {
  assert.equal(code({ base: 'enum', values: ['a', 'b'] }, { base: 'enum', values: ['a', 'b', 'c'] }), undefined);
  assert.equal(code({ base: 'enum', values: ['a', 'b', 'c'] }, { base: 'enum', values: ['a', 'b'] }), 'enum-member-removed');
  assert.equal(code({ base: 'enum', values: ['a', 'b'] }, { base: 'enum', values: ['b', 'a'] }), 'enum-member-reordered');
  assert.equal(code({ base: 'enum', values: ['a', 'b'] }, { base: 'enum', values: ['a', 'x', 'b'] }), 'enum-member-reordered');
  assert.equal(code({ base: 'set', values: ['a'] }, { base: 'set', values: ['a', 'b'] }), undefined);
});

test('column changes: nullability, charset, collation, auto_increment', () => {
  const v = (extra = {}) => col('c', { base: 'varchar', length: 10 }, { charset: 'utf8mb4', collation: 'utf8mb4_general_ci', ...extra });
  assert.deepEqual(classifyColumnChange(v(), v({ nullable: false })).map((r) => r.code), ['null-to-not-null']);
  assert.deepEqual(classifyColumnChange(v({ nullable: false }), v()).map((r) => r.code), []);
  assert.deepEqual(classifyColumnChange(v(), v({ charset: 'utf8mb3', collation: 'utf8mb3_general_ci' })).map((r) => r.code), ['changed-charset']);
  assert.deepEqual(classifyColumnChange(v(), v({ collation: 'utf8mb4_bin' })).map((r) => r.code), ['changed-collation']);
  // Lossless widening with the same comparison rule is safe; a new rule is not.
  const mb3 = v({ charset: 'utf8mb3', collation: 'utf8mb3_general_ci' });
  assert.deepEqual(classifyColumnChange(mb3, v()).map((r) => r.code), []);
  assert.deepEqual(classifyColumnChange(mb3, v({ collation: 'utf8mb4_unicode_ci' })).map((r) => r.code), ['changed-collation']);
  assert.deepEqual(classifyColumnChange(v({ charset: 'latin1', collation: 'latin1_swedish_ci' }), v()).map((r) => r.code), ['changed-collation']);
  assert.deepEqual(classifyColumnChange(v(), v({ charset: 'latin1', collation: 'latin1_general_ci' })).map((r) => r.code), ['changed-charset']);
  assert.deepEqual(classifyColumnChange(v(), v({ comment: 'x', default: "'a'" })), []);
  const n = col('id', 'int', { nullable: false });
  const reasons = classifyColumnChange(n, { ...n, autoIncrement: true });
  assert.deepEqual(reasons.map((r) => [r.class, r.code, r.column]), [['data-dependent', 'add-auto-increment', 'id']]);
});

test('added columns: NOT NULL without DEFAULT is data-dependent', () => {
  assert.deepEqual(classifyAddedColumn(col('q', 'int', { nullable: false })).map((r) => r.code), ['not-null-without-default']);
  assert.deepEqual(classifyAddedColumn(col('q', 'int', { nullable: false, default: '0' })), []);
  assert.deepEqual(classifyAddedColumn(col('q', 'int')), []);
  assert.deepEqual(classifyAddedColumn(col('q', 'int', { nullable: false, generated: { expression: '1', stored: false } })), []);
});

test('the class of a change is the worst of its reasons', () => {
  assert.equal(worstClass([]), 'safe');
  const r = (c: 'safe' | 'data-dependent' | 'destructive' | 'needs-decision') => ({ class: c, code: 'x', message: '' });
  assert.equal(worstClass([r('safe'), r('data-dependent')]), 'data-dependent');
  assert.equal(worstClass([r('destructive'), r('data-dependent')]), 'destructive');
  assert.equal(worstClass([r('destructive'), r('needs-decision'), r('safe')]), 'needs-decision');
});
