/**
 * The mariadb client loading a file is the reference for what the file means: `branch
 * push` must create exactly the same tables (SHOW CREATE TABLE equal), and main loaded
 * by the client must diff empty against the same files. Committed cases; the public
 * schemas of engine/test/corpus check the same on real applications.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withConnection } from '../../src/db/connection.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { loadWithClient, showCreateTables } from '../corpus/corpus.js';
import { testWorkspace } from './workspace.js';

const FILES: Record<string, string> = {
  // WordPress's wp_postmeta: keys as written, not by name; bigint(20) as declared.
  'postmeta.sql': `CREATE TABLE wp_postmeta (
  meta_id bigint(20) unsigned NOT NULL auto_increment,
  post_id bigint(20) unsigned NOT NULL default '0',
  meta_key varchar(255) default NULL,
  meta_value longtext,
  PRIMARY KEY  (meta_id),
  KEY post_id (post_id),
  KEY meta_key (meta_key(191))
) DEFAULT CHARACTER SET utf8mb4`,
  // Display widths as written (phpBB's tinyint(2), bigint(10)), booleans stay tinyint(1).
  'widths.sql': `CREATE TABLE widths (
  id bigint(10) NOT NULL,
  active TINYINT(1) NOT NULL DEFAULT 1,
  yes BOOLEAN,
  level tinyint(2) NOT NULL DEFAULT 0,
  hits int unsigned,
  zero int(6) zerofill,
  PRIMARY KEY (id)
)`,
  // MediaWiki's bot_passwords: a BINARY(n) default the server pads with NUL bytes; unique keys first.
  'bot.sql': `CREATE TABLE bot_passwords (
  bp_user INT UNSIGNED NOT NULL,
  bp_app_id VARBINARY(32) NOT NULL,
  bp_token BINARY(32) DEFAULT '' NOT NULL,
  bp_name VARCHAR(64) BINARY NOT NULL,
  KEY bp_name (bp_name),
  UNIQUE KEY bp_user_app (bp_user, bp_app_id),
  PRIMARY KEY(bp_user, bp_app_id)
)`,
  // Sakila's address: MySQL 5.7 executable comments the server skips; a foreign key's own key where its clause stands.
  'address.sql': `CREATE TABLE address (
  address_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
  city_id SMALLINT UNSIGNED NOT NULL,
  district VARCHAR(20) NOT NULL,
  /*!50705 location GEOMETRY NOT NULL,*/
  PRIMARY KEY  (address_id),
  CONSTRAINT fk_address_city FOREIGN KEY (city_id) REFERENCES address (address_id) ON DELETE RESTRICT ON UPDATE CASCADE,
  KEY idx_district (district)
  /*!50705 , SPATIAL KEY idx_location (location)*/
)`,
};

test('branch push creates what the mariadb client creates from the same files, and main loaded by the client diffs empty', async () => {
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(FILES)) {
    files[`schema/main/${name}`] = `${text};\n`;
    files[`schema/pushed/${name}`] = `${text};\n`;
  }
  const ws = await testWorkspace(files, 'fidelity');
  try {
    await withConnection(ws.target, undefined, (conn) => conn.query(`CREATE DATABASE ${quoteIdent(ws.config.database)}`));
    await loadWithClient(ws.target, ws.config.database, Object.values(FILES));
    const reference = await showCreateTables(ws.target, ws.config.database);
    assert.equal(reference.size, 4);
    assert.match(reference.get('wp_postmeta') ?? '', /KEY `post_id` \(`post_id`\),\n {2}KEY `meta_key`/, 'the reference keeps the written key order');

    await ws.branches.pushBranch('pushed');
    const pushed = await showCreateTables(ws.target, ws.branches.databaseOf('pushed'));
    for (const [name, ddl] of reference) assert.equal(pushed.get(name), ddl, `branch push creates ${name} as the mariadb client does`);

    assert.deepEqual((await ws.branches.diffBranch('main')).changes.map((c) => c.statement), []);
    await ws.branches.pullBranch('main');
    assert.deepEqual((await ws.branches.diffBranch('main')).changes.map((c) => c.statement), [], 'pulled files diff empty');
  } finally {
    await ws.cleanup();
  }
});

test('diff sees a display-width change: tinyint(1) to tinyint(4) is a change, not nothing', async () => {
  const ws = await testWorkspace({ 'schema/main/widths.sql': `${FILES['widths.sql']};\n` }, 'fidelity');
  try {
    await ws.branches.pushBranch('main');
    ws.write('schema/main/widths.sql', `${FILES['widths.sql'].replace('active TINYINT(1)', 'active TINYINT')};\n`);
    assert.deepEqual((await ws.branches.diffBranch('main')).changes.map((c) => c.statement), ['ALTER TABLE `widths` MODIFY COLUMN `active` tinyint(4) NOT NULL DEFAULT 1']);
  } finally {
    await ws.cleanup();
  }
});
