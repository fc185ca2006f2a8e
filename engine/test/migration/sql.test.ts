import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changelogName, oldName, shadowName, triggerName } from '../../src/migration/names.js';
import * as sql from '../../src/migration/sql.js';
import { addIndexes, plainIndexDefinitions } from '../../src/migration/deferred-indexes.js';

test('derived names keep the user table as a prefix so they sort after it, and stay within 64 characters', () => {
  assert.equal(shadowName('users', 3), 'users_sb3_new');
  assert.equal(oldName('users', 3), 'users_sb3_old');
  assert.equal(changelogName(3, 0), 'migration_3_changelog_0');
  assert.equal(triggerName(3, 1, 'n', 'upd'), '_sb3_1_n_upd');
  const long = 'x'.repeat(60);
  const s = shadowName(long, 12345);
  assert.ok(s.length <= 64 && s.startsWith('~') && s.endsWith('_sb12345_new'));
  assert.ok(Buffer.compare(Buffer.from(long), Buffer.from(s)) < 0);
});

test('shadow table DDL', () => {
  assert.equal(sql.createShadowTable('app', 'users_sb3_new', 'users'), 'CREATE TABLE `app`.`users_sb3_new` LIKE `app`.`users`');
  assert.equal(sql.alterShadowTable('app', 'users_sb3_new', 'ADD COLUMN `c` int'), 'ALTER TABLE `app`.`users_sb3_new` ADD COLUMN `c` int');
});

test('changelog table carries typed key columns', () => {
  assert.equal(
    sql.createChangelog('_schemabranch', 'migration_3_changelog_0', [{ name: 'id', columnType: 'bigint(20) unsigned' }, { name: 'code', columnType: 'varchar(10)', collation: 'utf8mb4_general_ci' }]),
    'CREATE TABLE IF NOT EXISTS `_schemabranch`.`migration_3_changelog_0` (`seq` bigint unsigned NOT NULL AUTO_INCREMENT, `side` tinyint unsigned NOT NULL, `id` bigint(20) unsigned NOT NULL, `code` varchar(10) COLLATE utf8mb4_general_ci NOT NULL, PRIMARY KEY (`seq`), KEY `side_seq` (`side`, `seq`)) ENGINE=InnoDB',
  );
  assert.throws(() => sql.createChangelog('m', 'c', [{ name: 'id', columnType: 'int; DROP TABLE x' }]), /Unsupported key column type/);
  assert.equal(sql.safeColumnType("enum('a','b''c')"), "enum('a','b''c')");
});

test('capture triggers append keys to the changelog unless the engine itself is writing', () => {
  const base = { db: 'app', table: 'users', metaDb: '_schemabranch', changelog: 'cl', side: 1 as const, key: ['id'] };
  assert.equal(
    sql.createCaptureTrigger({ ...base, trigger: 't_ins', event: 'ins' }),
    'CREATE TRIGGER `app`.`t_ins` AFTER INSERT ON `app`.`users` FOR EACH ROW IF @schemabranch_engine IS NULL THEN INSERT INTO `_schemabranch`.`cl` (`side`, `id`) VALUES (1, NEW.`id`); END IF',
  );
  assert.equal(
    sql.createCaptureTrigger({ ...base, trigger: 't_del', event: 'del', side: 2 }),
    'CREATE TRIGGER `app`.`t_del` AFTER DELETE ON `app`.`users` FOR EACH ROW IF @schemabranch_engine IS NULL THEN INSERT INTO `_schemabranch`.`cl` (`side`, `id`) VALUES (2, OLD.`id`); END IF',
  );
  assert.equal(
    sql.createCaptureTrigger({ ...base, trigger: 't_upd', event: 'upd', key: ['a', 'b'] }),
    'CREATE TRIGGER `app`.`t_upd` AFTER UPDATE ON `app`.`users` FOR EACH ROW IF @schemabranch_engine IS NULL THEN ' +
      'IF NOT (OLD.`a` <=> NEW.`a` AND OLD.`b` <=> NEW.`b`) THEN INSERT INTO `_schemabranch`.`cl` (`side`, `a`, `b`) VALUES (1, OLD.`a`, OLD.`b`); END IF; ' +
      'INSERT INTO `_schemabranch`.`cl` (`side`, `a`, `b`) VALUES (1, NEW.`a`, NEW.`b`); END IF',
  );
});

test('key comparisons expand so the range optimizer can use them', () => {
  const one = sql.keyCompare(['id'], '>');
  assert.equal(one.sql, '`id` > ?');
  assert.deepEqual(one.params([5]), [5]);
  const two = sql.keyCompare(['a', 'b'], '<=');
  assert.equal(two.sql, '(`a` < ? OR (`a` = ? AND `b` <= ?))');
  assert.deepEqual(two.params([1, 2]), [1, 1, 2]);
  const three = sql.keyCompare(['a', 'b', 'c'], '>');
  assert.equal(three.sql, '(`a` > ? OR (`a` = ? AND `b` > ?) OR (`a` = ? AND `b` = ? AND `c` > ?))');
  assert.deepEqual(three.params([1, 2, 3]), [1, 1, 2, 1, 2, 3]);
});

test('chunked copy statements', () => {
  assert.equal(sql.chunkEnd('app', 'users', ['id'], false), 'SELECT `id` FROM `app`.`users` WHERE `id` <= ? ORDER BY `id` LIMIT 1 OFFSET ?');
  assert.equal(sql.chunkEnd('app', 'users', ['id'], true), 'SELECT `id` FROM `app`.`users` WHERE `id` > ? AND `id` <= ? ORDER BY `id` LIMIT 1 OFFSET ?');
  assert.equal(sql.lastKey('app', 'users', ['a', 'b']), 'SELECT `a`, `b` FROM `app`.`users` ORDER BY `a` DESC, `b` DESC LIMIT 1');
  assert.equal(
    sql.copyChunk('app', 'users', 'users_sb3_new', ['id', 'name'], ['id'], true),
    'REPLACE INTO `app`.`users_sb3_new` (`id`, `name`) SELECT `id`, `name` FROM `app`.`users` WHERE `id` > ? AND `id` <= ?',
  );
});

test('changelog drain statements', () => {
  assert.equal(sql.analyzeTable('app', 'users_sb3_new'), 'ANALYZE TABLE `app`.`users_sb3_new`');
  assert.equal(sql.keyIn(['id'], 3), '`id` IN (?, ?, ?)');
  assert.equal(sql.keyIn(['a', 'b'], 2), '(`a`, `b`) IN ((?, ?), (?, ?))');
  assert.equal(sql.readChangelog('_schemabranch', 'cl', ['id']), 'SELECT `seq`, `id` FROM `_schemabranch`.`cl` WHERE `side` = ? AND `seq` <= ? ORDER BY `seq` LIMIT ?');
  assert.equal(sql.readChangelogKeys('_schemabranch', 'cl', ['id'], 2), 'SELECT DISTINCT `id` FROM `_schemabranch`.`cl` WHERE `side` = ? AND `id` IN (?, ?)');
  assert.equal(sql.countChangelog('_schemabranch', 'cl'), 'SELECT `side`, COUNT(*) AS `n` FROM `_schemabranch`.`cl` GROUP BY `side`');
  assert.equal(sql.deleteChangelog('_schemabranch', 'cl', 2), 'DELETE `_schemabranch`.`cl` FROM (SELECT CAST(? AS UNSIGNED) AS `seq` UNION ALL SELECT CAST(? AS UNSIGNED)) AS `sb_seqs` STRAIGHT_JOIN `_schemabranch`.`cl` ON `_schemabranch`.`cl`.`seq` = `sb_seqs`.`seq`');
  assert.equal(sql.deleteKeys('app', 'users', ['id'], 1), 'DELETE FROM `app`.`users` WHERE `id` IN (?)');
  assert.equal(sql.deleteKeys('app', 'users', ['k', 'id'], 2), 'DELETE FROM `app`.`users` WHERE (`k`, `id`) IN ((?, ?), (?, ?))');
  assert.equal(sql.copyKeys('app', 'users', 'users_sb3_old', ['id', 'name'], ['id'], 2, false), 'INSERT INTO `app`.`users_sb3_old` (`id`, `name`) SELECT `id`, `name` FROM `app`.`users` WHERE `id` IN (?, ?)');
  assert.equal(sql.copyKeys('app', 'a', 'b', ['id'], ['id'], 1, true), 'REPLACE INTO `app`.`b` (`id`) SELECT `id` FROM `app`.`a` WHERE `id` IN (?)');
});

test('cut-over statements', () => {
  assert.equal(
    sql.renameTables('app', [
      { from: 'users', to: 'users_sb3_old' },
      { from: 'users_sb3_new', to: 'users' },
    ]),
    'RENAME TABLE `app`.`users` TO `app`.`users_sb3_old`, `app`.`users_sb3_new` TO `app`.`users`',
  );
  assert.equal(sql.lockTablesWrite([{ db: 'app', name: 'users' }, { db: '_schemabranch', name: 'cl' }]), 'LOCK TABLES `app`.`users` WRITE, `_schemabranch`.`cl` WRITE');
  assert.equal(sql.createSentry('app', 'users_sb3_old'), "CREATE TABLE `app`.`users_sb3_old` (`id` int NOT NULL PRIMARY KEY) ENGINE=MEMORY COMMENT='schemabranch cut-over sentry'");
  assert.equal(sql.dropTrigger('app', 't'), 'DROP TRIGGER IF EXISTS `app`.`t`');
});

test('plain secondary indexes are read from SHOW CREATE TABLE to be built after the copy', () => {
  const create = [
    'CREATE TABLE `t` (',
    '  `id` int(11) NOT NULL,',
    '  `k` int(11) NOT NULL,',
    '  `c` varchar(10) NOT NULL,',
    '  PRIMARY KEY (`id`),',
    '  UNIQUE KEY `c` (`c`),',
    '  KEY `k_1` (`k`),',
    '  KEY `we``ird` (`k`,`c`(5)) COMMENT \'x\',',
    '  FULLTEXT KEY `ft` (`c`)',
    ') ENGINE=InnoDB',
  ].join('\n');
  assert.deepEqual(plainIndexDefinitions(create), [
    { name: 'k_1', definition: 'KEY `k_1` (`k`)' },
    { name: 'we`ird', definition: "KEY `we``ird` (`k`,`c`(5)) COMMENT 'x'" },
  ]);
  assert.equal(addIndexes('app', 't_sb1_new', ['KEY `k_1` (`k`)']), 'ALTER TABLE `app`.`t_sb1_new` ADD KEY `k_1` (`k`), ALGORITHM=INPLACE, LOCK=NONE');
});

test('foreign keys are moved with one statement per drop and per add, every identifier quoted', () => {
  assert.equal(sql.dropForeignKey('app', 'or`ders', 'fk_c'), 'ALTER TABLE `app`.`or``ders` DROP FOREIGN KEY `fk_c`');
  assert.equal(
    sql.addForeignKey('app', 'orders', { name: 'fk_c', columns: ['customer_id', 'region'], refTable: 'customers_sb3_new', refColumns: ['id', 'region'], onDelete: 'cascade', onUpdate: 'NO  ACTION' }),
    'ALTER TABLE `app`.`orders` ADD CONSTRAINT `fk_c` FOREIGN KEY (`customer_id`, `region`) REFERENCES `app`.`customers_sb3_new` (`id`, `region`) ON DELETE CASCADE ON UPDATE NO ACTION',
  );
  assert.equal(sql.addForeignKey('app', 'orders', { name: 'f', columns: ['a'], refTable: 'p', refColumns: ['id'] }), 'ALTER TABLE `app`.`orders` ADD CONSTRAINT `f` FOREIGN KEY (`a`) REFERENCES `app`.`p` (`id`)');
  assert.throws(() => sql.addForeignKey('app', 'orders', { name: 'f', columns: ['a'], refTable: 'p', refColumns: ['id'], onDelete: 'CASCADE; DROP TABLE x' }), /Unsupported foreign key action/);
  assert.equal(
    sql.addForeignKey('app', 'orders', { name: 'f', columns: ['a'], refTable: 'p', refColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'restrict' }),
    'ALTER TABLE `app`.`orders` ADD CONSTRAINT `f` FOREIGN KEY (`a`) REFERENCES `app`.`p` (`id`)',
    'RESTRICT (what information_schema reports for no clause) is left unsaid: spelled out, the in-place add stores NO ACTION',
  );
  assert.equal(sql.addKey('app', 'p_sb3_new', 'p_h', ['h_id']), 'ALTER TABLE `app`.`p_sb3_new` ADD KEY `p_h` (`h_id`)');
  assert.equal(sql.countRows('app', 'p_sb3_new'), 'SELECT COUNT(*) AS `n` FROM `app`.`p_sb3_new`');
});

test('an orphan probe for a key checked before it is added without row checks', () => {
  assert.equal(
    sql.findOrphan('app', 'p_sb3_new', { columns: ['a', 'b'], refTable: 'q', refColumns: ['x', 'y'] }),
    'SELECT `c`.`a`, `c`.`b` FROM `app`.`p_sb3_new` AS `c` WHERE `c`.`a` IS NOT NULL AND `c`.`b` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `app`.`q` AS `p` WHERE `p`.`x` = `c`.`a` AND `p`.`y` = `c`.`b`) LIMIT 1',
  );
});

