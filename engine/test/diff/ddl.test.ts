import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCheck, renderColumnDefinition, renderCreateTable, renderForeignKey, renderIndexDefinition, renderTableOptions } from '../../src/sql/ddl.js';
import { col, fk, key, pk, table } from './build.js';

test('column definitions: type, charset, nullability, default, on update, auto_increment, comment', () => {
  assert.equal(renderColumnDefinition(col('id', { base: 'int', length: 11, unsigned: true }, { nullable: false, autoIncrement: true })), '`id` int(11) unsigned NOT NULL AUTO_INCREMENT');
  assert.equal(
    renderColumnDefinition(col('name', { base: 'varchar', length: 50 }, { charset: 'utf8mb4', collation: 'utf8mb4_bin', nullable: false, default: "''", comment: "it's" })),
    "`name` varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' COMMENT 'it''s'",
  );
  assert.equal(renderColumnDefinition(col('price', { base: 'decimal', length: 10, scale: 2 }, { default: 'NULL' })), '`price` decimal(10,2) DEFAULT NULL');
  assert.equal(
    renderColumnDefinition(col('at', 'timestamp', { default: 'current_timestamp()', onUpdate: 'current_timestamp()' })),
    '`at` timestamp NULL DEFAULT current_timestamp() ON UPDATE current_timestamp()',
  );
  assert.equal(renderColumnDefinition(col('z', { base: 'int', length: 5, unsigned: true, zerofill: true })), '`z` int(5) unsigned zerofill');
});

test('enum and set members are quoted literals', () => {
  assert.equal(renderColumnDefinition(col('s', { base: 'enum', values: ['a', "b'c", 'd\\e'] }, { nullable: false })), "`s` enum('a','b''c','d\\\\e') NOT NULL");
  assert.equal(renderColumnDefinition(col('t', { base: 'set', values: ['x'] })), "`t` set('x')");
});

test('generated columns carry neither NULL, DEFAULT nor AUTO_INCREMENT', () => {
  assert.equal(
    renderColumnDefinition(col('total', { base: 'decimal', length: 12, scale: 2 }, { generated: { expression: '`price` * `qty`', stored: false }, default: 'NULL' })),
    '`total` decimal(12,2) GENERATED ALWAYS AS (`price` * `qty`) VIRTUAL',
  );
  assert.equal(renderColumnDefinition(col('g', 'int', { generated: { expression: '1', stored: true }, nullable: false, comment: 'c' })), "`g` int GENERATED ALWAYS AS (1) STORED COMMENT 'c'");
});

test('identifiers with backticks are doubled', () => {
  assert.equal(renderColumnDefinition(col('we`ird', 'int')), '`we``ird` int');
});

test('index definitions: primary, unique, prefix, descending, fulltext, spatial, using, comment', () => {
  assert.equal(renderIndexDefinition(pk('id')), 'PRIMARY KEY (`id`)');
  assert.equal(renderIndexDefinition({ name: 'u', kind: 'unique', parts: [{ column: 'a' }, { column: 'b', length: 10, descending: true }] }), 'UNIQUE KEY `u` (`a`,`b`(10) DESC)');
  assert.equal(renderIndexDefinition(key('ft', ['body'], 'fulltext')), 'FULLTEXT KEY `ft` (`body`)');
  assert.equal(renderIndexDefinition(key('sp', ['pos'], 'spatial')), 'SPATIAL KEY `sp` (`pos`)');
  assert.equal(renderIndexDefinition({ ...key('k', ['a']), using: 'btree', comment: 'why' }), "KEY `k` (`a`) USING BTREE COMMENT 'why'");
});

test('foreign keys and checks', () => {
  assert.equal(renderForeignKey(fk('fk', ['a', 'b'], 'p', ['x', 'y'])), 'CONSTRAINT `fk` FOREIGN KEY (`a`,`b`) REFERENCES `p` (`x`,`y`)');
  assert.equal(renderForeignKey(fk('fk', ['a'], 'p', ['id'], { onDelete: 'cascade', onUpdate: 'SET NULL' })), 'CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `p` (`id`) ON DELETE CASCADE ON UPDATE SET NULL');
  assert.equal(renderCheck({ name: 'chk', expression: '`qty` >= 0' }), 'CONSTRAINT `chk` CHECK (`qty` >= 0)');
});

test('table options render only what is set', () => {
  assert.equal(renderTableOptions({}), '');
  assert.equal(
    renderTableOptions({ engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_general_ci', rowFormat: 'dynamic', comment: "a'b" }),
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=DYNAMIC COMMENT='a''b'",
  );
});

test('canonical CREATE TABLE: one definition per line, two-space indent, no semicolon', () => {
  const t = table('child', [col('id', 'int', { nullable: false }), col('parent_id', 'int', { default: 'NULL' })], {
    indexes: [pk('id'), key('fk_p', ['parent_id'])],
    foreignKeys: [fk('fk_p', ['parent_id'], 'parent', ['id'])],
    checks: [{ name: 'chk', expression: '`id` > 0' }],
    options: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_general_ci' },
  });
  assert.equal(
    renderCreateTable(t),
    [
      'CREATE TABLE `child` (',
      '  `id` int NOT NULL,',
      '  `parent_id` int DEFAULT NULL,',
      '  PRIMARY KEY (`id`),',
      '  KEY `fk_p` (`parent_id`),',
      '  CONSTRAINT `fk_p` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`),',
      '  CONSTRAINT `chk` CHECK (`id` > 0)',
      ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci',
    ].join('\n'),
  );
  assert.equal(renderCreateTable(t, { foreignKeys: false }).includes('FOREIGN KEY'), false);
  assert.equal(renderCreateTable(table('x', [col('a', 'int')], { options: {} })), 'CREATE TABLE `x` (\n  `a` int\n)');
});

test('column-level CHECKs go last in the column; invisible columns; unnamed and NOT ENFORCED checks', () => {
  const t = table('t', [col('j', 'longtext', { charset: 'utf8mb4', collation: 'utf8mb4_bin', comment: 'c', invisible: true })], {
    checks: [{ name: '', expression: 'json_valid(`j`)', column: 'j' }, { name: '', expression: '1 = 1', notEnforced: true }],
    options: {},
  });
  assert.equal(
    renderCreateTable(t),
    "CREATE TABLE `t` (\n  `j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin INVISIBLE COMMENT 'c' CHECK (json_valid(`j`)),\n  CHECK (1 = 1) NOT ENFORCED\n)",
  );
});

test('functional key parts, ignored/invisible indexes by flavor', () => {
  const idx = { name: 'f', kind: 'index' as const, parts: [{ column: '', expression: 'lower(`email`)' }, { column: 'a', descending: true }], invisible: true };
  assert.equal(renderIndexDefinition(idx), 'KEY `f` ((lower(`email`)),`a` DESC) IGNORED');
  assert.equal(renderIndexDefinition(idx, 'mysql'), 'KEY `f` ((lower(`email`)),`a` DESC) INVISIBLE');
});

test('other table options by name, partitioning after the options', () => {
  assert.equal(renderTableOptions({ engine: 'InnoDB', other: { STATS_PERSISTENT: '0', KEY_BLOCK_SIZE: '8' } }), 'ENGINE=InnoDB KEY_BLOCK_SIZE=8 STATS_PERSISTENT=0');
  const t = table('p', [col('id', 'int', { nullable: false })], { options: { engine: 'InnoDB', partitioning: 'PARTITION BY HASH (`id`) PARTITIONS 4' } });
  assert.equal(renderCreateTable(t), 'CREATE TABLE `p` (\n  `id` int NOT NULL\n) ENGINE=InnoDB\nPARTITION BY HASH (`id`) PARTITIONS 4');
});
