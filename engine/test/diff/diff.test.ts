import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSchemas, diffTables } from '../../src/diff/index.js';
import type { Schema, Table } from '../../src/schema/model.js';
import { col, fk, id, key, pk, table } from './build.js';

const statements = (from: Table[], to: Table[]): string[] => diffSchemas({ tables: from }, { tables: to }).map((c) => c.statement);

test('equal tables produce nothing; source fields and column-name case are ignored', () => {
  const a = table('t', [id(), col('Name', 'int')], { indexes: [pk('id')] });
  const b: Table = { ...a, columns: [id(), { ...col('name', 'int'), source: { file: 'x.sql', range: { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 1, offset: 1 } } } }] };
  assert.equal(diffTables(a, b), undefined);
  assert.deepEqual(diffSchemas({ tables: [a] }, { tables: [b] }), []);
});

test('all changes to one table form one ALTER, with alterSpec and before/after', () => {
  const before = table('t', [id(), col('a', 'int'), col('old', 'text')], { indexes: [pk('id'), key('k_a', ['a'])] });
  const after = table('t', [id(), col('a', 'bigint'), col('b', 'int')], { indexes: [pk('id'), key('k_a', ['a', 'b'])], options: { engine: 'InnoDB', comment: 'c' } });
  const change = diffTables(before, after);
  assert.ok(change);
  assert.equal(change.alterSpec, "DROP INDEX `k_a`, DROP COLUMN `old`, MODIFY COLUMN `a` bigint, ADD COLUMN `b` int, ADD KEY `k_a` (`a`,`b`), COMMENT='c'");
  assert.equal(change.statement, 'ALTER TABLE `t` ' + change.alterSpec);
  assert.equal(change.kind, 'alter_table');
  assert.equal(change.before, before);
  assert.equal(change.after, after);
  assert.equal(change.class, 'destructive');
  assert.deepEqual(change.reasons.map((r) => r.code), ['drop-column']);
});

test('column positions: added in the middle use AFTER, moved columns are MODIFY ... AFTER/FIRST', () => {
  const before = table('t', [col('a', 'int'), col('b', 'int'), col('c', 'int')]);
  const after = table('t', [col('c', 'int'), col('x', 'int'), col('a', 'int'), col('b', 'int'), col('y', 'int')]);
  assert.equal(diffTables(before, after)?.alterSpec, 'MODIFY COLUMN `c` int FIRST, ADD COLUMN `x` int AFTER `c`, ADD COLUMN `y` int');
});

test('a dropped and an added column with the same definition need a decision', () => {
  const before = table('t', [id(), col('fullname', { base: 'varchar', length: 100 })]);
  const after = table('t', [id(), col('display_name', { base: 'varchar', length: 100 })]);
  const change = diffTables(before, after)!;
  assert.equal(change.alterSpec, 'DROP COLUMN `fullname`, ADD COLUMN `display_name` varchar(100)');
  assert.equal(change.class, 'needs-decision');
  assert.deepEqual(change.reasons.map((r) => [r.code, r.column]), [['drop-column', 'fullname'], ['possible-rename', 'display_name']]);
});

test('a new referenced table is created before the ALTER that adds the FK, whatever the file order', () => {
  const child0 = table('a_child', [id(), col('p', 'int')], { indexes: [pk('id')] });
  const child1: Table = { ...child0, indexes: [pk('id'), key('fk', ['p'])], foreignKeys: [fk('fk', ['p'], 'z_parent', ['id'])] };
  const parent = table('z_parent', [id()], { indexes: [pk('id')] });
  const changes = diffSchemas({ tables: [child0] }, { tables: [child1, parent] });
  assert.deepEqual(changes.map((c) => [c.kind, c.table]), [['create_table', 'z_parent'], ['alter_table', 'a_child']]);
  assert.deepEqual(changes[1].reasons.map((r) => r.code), ['add-foreign-key']);
  // Two new tables: the referenced one first.
  const created = diffSchemas({ tables: [] }, { tables: [child1, parent] });
  assert.deepEqual(created.map((c) => c.table), ['z_parent', 'a_child']);
});

test('an FK is dropped before the table it references is dropped', () => {
  const parent = table('a_parent', [id()], { indexes: [pk('id')] });
  const child1 = table('child', [id(), col('p', 'int')], { indexes: [pk('id'), key('fk', ['p'])], foreignKeys: [fk('fk', ['p'], 'a_parent', ['id'])] });
  const child2: Table = { ...child1, foreignKeys: [] };
  assert.deepEqual(statements([parent, child1], [child2]), ['ALTER TABLE `child` DROP FOREIGN KEY `fk`', 'DROP TABLE `a_parent`']);
  // Both dropped: the child first.
  assert.deepEqual(statements([parent, child1], []), ['DROP TABLE `child`', 'DROP TABLE `a_parent`']);
});

test('an FK re-added under the same name goes to a separate FK-only ALTER after the main one', () => {
  const p = table('p', [id()], { indexes: [pk('id')] });
  const c1 = table('c', [id(), col('p', 'int')], { indexes: [pk('id'), key('fk', ['p'])], foreignKeys: [fk('fk', ['p'], 'p', ['id'])] });
  const c2: Table = { ...c1, columns: [id(), col('p', 'int'), col('n', 'int')], foreignKeys: [fk('fk', ['p'], 'p', ['id'], { onDelete: 'CASCADE' })] };
  const changes = diffSchemas({ tables: [p, c1] }, { tables: [p, c2] });
  assert.deepEqual(changes.map((c) => c.statement), [
    'ALTER TABLE `c` DROP FOREIGN KEY `fk`, ADD COLUMN `n` int',
    'ALTER TABLE `c` ADD CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `p` (`id`) ON DELETE CASCADE',
  ]);
  assert.deepEqual(changes[0].after?.foreignKeys, []);
  assert.equal(changes[1].before, changes[0].after);
  assert.equal(changes[1].after, c2);
  // Only the actions changed: nothing new to validate, so the re-add is safe.
  assert.equal(changes[1].class, 'safe');
  // diffTables alone keeps the single statement (for shadow tables).
  assert.equal(diffTables(c1, c2)?.alterSpec, 'DROP FOREIGN KEY `fk`, ADD COLUMN `n` int, ADD CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `p` (`id`) ON DELETE CASCADE');
});

test('mutually referencing new tables: created without the cycle FK, added at the end', () => {
  const a = table('a', [id(), col('b_id', 'int')], { indexes: [pk('id'), key('fk_a_b', ['b_id'])], foreignKeys: [fk('fk_a_b', ['b_id'], 'b', ['id'])] });
  const b = table('b', [id(), col('a_id', 'int')], { indexes: [pk('id'), key('fk_b_a', ['a_id'])], foreignKeys: [fk('fk_b_a', ['a_id'], 'a', ['id'])] });
  const changes = diffSchemas({ tables: [] }, { tables: [a, b] });
  assert.deepEqual(changes.map((c) => [c.kind, c.table, c.statement.includes('FOREIGN KEY')]), [
    ['create_table', 'a', false],
    ['create_table', 'b', true],
    ['alter_table', 'a', true],
  ]);
  // Dropping both: one FK drop first, then the tables.
  const dropped = diffSchemas({ tables: [a, b] } satisfies Schema, { tables: [] });
  assert.deepEqual(dropped.map((c) => c.statement), ['ALTER TABLE `a` DROP FOREIGN KEY `fk_a_b`', 'DROP TABLE `b`', 'DROP TABLE `a`']);
});

test('ignoreTables leaves tables out on both sides', () => {
  const meta = table('_schemabranch', [id()]);
  assert.deepEqual(diffSchemas({ tables: [meta] }, { tables: [] }, { ignoreTables: ['_schemabranch'] }), []);
});

test('an unchanged FK is dropped and re-added around a type change of its columns', () => {
  const p1 = table('parent', [id()], { indexes: [pk('id')] });
  const p2 = table('parent', [col('id', 'bigint', { nullable: false })], { indexes: [pk('id')] });
  const c = (type: string) => table('child', [id(), col('pid', type)], { indexes: [pk('id'), key('fk', ['pid'])], foreignKeys: [fk('fk', ['pid'], 'parent', ['id'])] });
  assert.deepEqual(statements([p1, c('int')], [p2, c('bigint')]), [
    'ALTER TABLE `child` DROP FOREIGN KEY `fk`, MODIFY COLUMN `pid` bigint',
    'ALTER TABLE `parent` MODIFY COLUMN `id` bigint NOT NULL',
    'ALTER TABLE `child` ADD CONSTRAINT `fk` FOREIGN KEY (`pid`) REFERENCES `parent` (`id`)',
  ]);
});

test('a cycle between an FK swap and a dropped parent column: FK addition moves to the end', () => {
  const parent = (colName: string) => table('parent', [id(), col(colName, { base: 'varchar', length: 10 }, { nullable: false })], { indexes: [pk('id'), key(`uq_${colName}`, [colName], 'unique')] });
  const child = (fkName: string, ref: string) =>
    table('child', [id(), col('code', { base: 'varchar', length: 10 })], { indexes: [pk('id'), key('k', ['code'])], foreignKeys: [fk(fkName, ['code'], 'parent', [ref])] });
  const changes = diffSchemas({ tables: [parent('code'), child('fk_code', 'code')] }, { tables: [parent('ref'), child('fk_ref', 'ref')] });
  assert.deepEqual(changes.map((c) => c.statement), [
    'ALTER TABLE `child` DROP FOREIGN KEY `fk_code`',
    'ALTER TABLE `parent` DROP INDEX `uq_code`, DROP COLUMN `code`, ADD COLUMN `ref` varchar(10) NOT NULL, ADD UNIQUE KEY `uq_ref` (`ref`)',
    'ALTER TABLE `child` ADD CONSTRAINT `fk_ref` FOREIGN KEY (`code`) REFERENCES `parent` (`ref`)',
  ]);
  assert.deepEqual(changes.map((c) => c.class), ['safe', 'needs-decision', 'data-dependent']);
});

test('a table dropped and another created with the same definition needs a decision', () => {
  const old = table('users_old', [id()], { indexes: [pk('id')] });
  const changes = diffSchemas({ tables: [old] }, { tables: [{ ...old, name: 'users' }] });
  assert.deepEqual(changes.map((c) => [c.kind, c.class]), [['create_table', 'safe'], ['drop_table', 'needs-decision']]);
  assert.deepEqual(changes[1].reasons.map((r) => r.code), ['drop-table', 'possible-rename']);
});

test('a table default charset change rewrites the columns that inherit it', () => {
  const opts = (charset: string, collation: string) => ({ engine: 'InnoDB', charset, collation });
  const before = table('t', [id(), col('name', { base: 'varchar', length: 50 })], { options: opts('utf8mb3', 'utf8mb3_general_ci') });
  const after = table('t', [id(), col('name', { base: 'varchar', length: 50 })], { options: opts('utf8mb4', 'utf8mb4_general_ci') });
  assert.equal(
    diffTables(before, after)?.alterSpec,
    'MODIFY COLUMN `name` varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci, DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci',
  );
});

test('VIRTUAL <-> STORED recreates the column with its index; index visibility uses ALTER INDEX', () => {
  const gen = (stored: boolean) => col('b', 'int', { generated: { expression: '`a` * 2', stored } });
  const t = (stored: boolean, invisible?: boolean) =>
    table('t', [id(), col('a', 'int'), gen(stored), col('c', 'int')], { indexes: [pk('id'), key('kb', ['b']), { ...key('ka', ['a']), invisible }] });
  assert.equal(
    diffTables(t(false), t(true))?.alterSpec,
    'DROP INDEX `kb`, DROP COLUMN `b`, ADD COLUMN `b` int GENERATED ALWAYS AS (`a` * 2) STORED AFTER `a`, ADD KEY `kb` (`b`)',
  );
  assert.equal(diffTables(t(false), t(false, true))?.alterSpec, 'ALTER INDEX `ka` IGNORED');
  assert.equal(diffTables(t(false, true), t(false), { flavor: 'mysql' })?.alterSpec, 'ALTER INDEX `ka` VISIBLE');
});

test('onePerTable keeps each table in one change (the online migration shape)', () => {
  const p = table('p', [id()], { indexes: [pk('id')] });
  const c1 = table('c', [id(), col('p', 'int')], { indexes: [pk('id'), key('fk', ['p'])], foreignKeys: [fk('fk', ['p'], 'p', ['id'])] });
  const c2: Table = { ...c1, foreignKeys: [fk('fk', ['p'], 'p', ['id'], { onDelete: 'CASCADE' })] };
  const changes = diffSchemas({ tables: [p, c1] }, { tables: [p, c2] }, { onePerTable: true });
  assert.deepEqual(changes.map((c) => c.alterSpec), ['DROP FOREIGN KEY `fk`, ADD CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `p` (`id`) ON DELETE CASCADE']);
  // Mutually referencing new tables are still created, each whole, once.
  const a = table('a', [id(), col('b_id', 'int')], { indexes: [pk('id'), key('fk_a_b', ['b_id'])], foreignKeys: [fk('fk_a_b', ['b_id'], 'b', ['id'])] });
  const b = table('b', [id(), col('a_id', 'int')], { indexes: [pk('id'), key('fk_b_a', ['a_id'])], foreignKeys: [fk('fk_b_a', ['a_id'], 'a', ['id'])] });
  assert.deepEqual(diffSchemas({ tables: [] }, { tables: [a, b] }, { onePerTable: true }).map((c) => [c.kind, c.table]), [['create_table', 'a'], ['create_table', 'b']]);
});

test('shadowSpec leaves out foreign-key clauses, listed apart in foreignKeys', () => {
  const c1 = table('c', [id(), col('p', 'int')], { indexes: [pk('id'), key('fk_old', ['p'])], foreignKeys: [fk('fk_old', ['p'], 'p', ['id'])] });
  const c2 = table('c', [id(), col('p', 'int'), col('n', 'int')], { indexes: [pk('id'), key('fk_old', ['p'])], foreignKeys: [fk('fk_new', ['p'], 'p', ['id'], { onDelete: 'CASCADE' })], options: { engine: 'InnoDB', comment: 'x' } });
  const change = diffTables(c1, c2)!;
  assert.equal(change.alterSpec, "DROP FOREIGN KEY `fk_old`, ADD COLUMN `n` int, ADD CONSTRAINT `fk_new` FOREIGN KEY (`p`) REFERENCES `p` (`id`) ON DELETE CASCADE, COMMENT='x'");
  assert.equal(change.shadowSpec, "ADD COLUMN `n` int, COMMENT='x'");
  assert.deepEqual(change.foreignKeys, { dropped: c1.foreignKeys, added: c2.foreignKeys });
  const fkOnly = diffTables(c1, { ...c1, foreignKeys: [] })!;
  assert.equal(fkOnly.shadowSpec, '');
});

test('a unique key or foreign key over a new all-NULL column cannot fail on existing rows', () => {
  const before = table('t', [id()], { indexes: [pk('id')] });
  const nullable = table('t', [id(), col('sku', { base: 'varchar', length: 20 })], { indexes: [pk('id'), key('u', ['sku'], 'unique')] });
  assert.deepEqual(diffTables(before, nullable)?.reasons, []);
  const defaulted = table('t', [id(), col('sku', { base: 'varchar', length: 20 }, { nullable: false, default: "''" })], { indexes: [pk('id'), key('u', ['sku'], 'unique')] });
  assert.deepEqual(diffTables(before, defaulted)?.reasons.map((r) => r.code), ['add-unique-index']);
  const withFk = table('t', [id(), col('p', 'int')], { indexes: [pk('id'), key('fk', ['p'])], foreignKeys: [fk('fk', ['p'], 'p', ['id'])] });
  assert.deepEqual(diffTables(before, withFk)?.reasons, []);
  assert.deepEqual(diffTables({ ...before, columns: [id(), col('p', 'int')] }, withFk)?.reasons.map((r) => r.code), ['add-foreign-key']);
});
