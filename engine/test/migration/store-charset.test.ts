/**
 * The engine's store keeps users' statements in any script: on a server whose
 * default is latin1 (MariaDB's), Apollo's Chinese column comments failed the
 * deploy ("Incorrect string value ... for column migration_tables.statement").
 * A store made narrow by an older version is converted before it is used.
 * A private server: the run's shared store holds other tests' rows (Apollo's
 * Chinese comments among them), which a latin1 store could not take.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { OnlineMigration } from '../../src/migration/index.js';
import { openEngineConnection } from '../../src/migration/session.js';
import { ensureMetadata } from '../../src/migration/store.js';
import { alterChange, BASE_TABLE, columnsOf, exec } from './scenario.js';

test("a statement with a Chinese comment deploys, even where an older store's tables were latin1", async () => {
  const sandbox = new Sandbox({ dir: mkdtempSync(join(tmpdir(), 'sb-charset-')) });
  const target = await sandbox.start();
  const database = 'migcharset';
  const conn = await openEngineConnection(target);
  await conn.query(`CREATE DATABASE ${quoteIdent(database)}`);
  let m: OnlineMigration | undefined;
  try {
    await ensureMetadata(conn);
    await conn.query('ALTER TABLE `_schemabranch`.`migration_tables` CONVERT TO CHARACTER SET latin1');
    await exec(target, database, BASE_TABLE(database, 'items'));
    await exec(target, database, `INSERT INTO \`${database}\`.items (k, c) SELECT seq, 'r' FROM seq_1_to_100`);
    m = await OnlineMigration.prepare(target, database, 9_300_000 + Math.floor(Math.random() * 100_000), [alterChange('items', "ADD COLUMN `note` varchar(20) NOT NULL DEFAULT '' COMMENT '链路追踪'")], { chunkTargetMs: 50 });
    await m.copy();
    await m.cutOver();
    assert.ok((await columnsOf(target, database, 'items')).includes('note'));
    const [t] = (await exec(target, database, "SELECT TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = '_schemabranch' AND TABLE_NAME = 'migration_tables'")) as { c: string }[];
    assert.match(t!.c, /^utf8mb4/);
    await m.finish();
  } finally {
    await m?.close();
    await conn.end();
    await sandbox.destroy();
  }
});
