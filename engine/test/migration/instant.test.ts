/**
 * Instant deploys are decided by the server (ALGORITHM=INSTANT on an empty
 * copy of the table), forward and back; an instant deploy changes metadata
 * only (no row is copied, rows written meanwhile are kept) and its inverse
 * puts the old definition back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffTables } from '../../src/diff/index.js';
import { instantVerdict, runInstant } from '../../src/migration/instant.js';
import { openEngineConnection } from '../../src/migration/session.js';
import { parseSchemaFile } from '../../src/schema/parse.js';
import { quoteQualified } from '../../src/sql/quote.js';
import { freshDatabase } from '../../../test/support/server.js';
import { exec } from './scenario.js';

const BEFORE = "CREATE TABLE `items` (`id` int NOT NULL AUTO_INCREMENT, `name` varchar(20) NOT NULL DEFAULT '', `note` varchar(40) DEFAULT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

function change(after: string) {
  const from = parseSchemaFile('before.sql', `${BEFORE};`).tables[0]!;
  const to = parseSchemaFile('after.sql', `${after};`).tables[0]!;
  const c = diffTables(from, to);
  assert.ok(c, 'the two definitions differ');
  return c;
}

const CASES: Array<{ what: string; after: string; instant: boolean; revertible: boolean; method?: 'instant' | 'in-server' }> = [
  { what: 'an added nullable column', after: BEFORE.replace(', PRIMARY KEY', ', `added` int DEFAULT NULL, PRIMARY KEY'), instant: true, revertible: true },
  { what: 'a changed default', after: BEFORE.replace("NOT NULL DEFAULT ''", "NOT NULL DEFAULT 'none'"), instant: true, revertible: true },
  { what: 'a dropped column', after: BEFORE.replace(', `note` varchar(40) DEFAULT NULL', ''), instant: true, revertible: false },
  { what: 'a widened varchar', after: BEFORE.replace('`name` varchar(20)', '`name` varchar(30)'), instant: true, revertible: false },
  { what: 'an added index (in the server, online)', after: BEFORE.replace('PRIMARY KEY (`id`)', 'PRIMARY KEY (`id`), KEY `name` (`name`)'), instant: true, revertible: true, method: 'in-server' },
  { what: 'a changed column type', after: BEFORE.replace('`note` varchar(40) DEFAULT NULL', '`note` int DEFAULT NULL'), instant: false, revertible: false },
];

test('the server decides which changes are instant, and which instant changes are revertible', async () => {
  const { target, database, drop } = await freshDatabase('instant');
  const conn = await openEngineConnection(target);
  try {
    await exec(target, database, BEFORE);
    const seen: string[] = [];
    for (const c of CASES) {
      const v = await instantVerdict(conn, database, [change(c.after)]);
      seen.push(`${c.what}: ${v.why}`);
      assert.deepEqual({ instant: v.instant, revertible: v.revertible }, { instant: c.instant, revertible: c.revertible }, `${c.what}: ${v.why}`);
      if (c.instant) assert.equal(v.method, c.method ?? 'instant', c.what);
      assert.equal(v.inverse.length, v.revertible ? 1 : 0);
    }
    console.log(`[instant verdicts] ${seen.join(' | ')}`);
    const [left] = (await conn.query("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = '_schemabranch' AND TABLE_NAME LIKE 'instant\\_probe\\_%'")) as unknown as [{ n: number }[]];
    assert.equal(Number(left[0]!.n), 0, 'no probe table is left behind');
  } finally {
    await conn.end();
    await drop();
  }
});

test('an instant deploy adds the column without copying a row, and its inverse drops it again', async () => {
  const { target, database, drop } = await freshDatabase('instantrun');
  const conn = await openEngineConnection(target);
  try {
    await exec(target, database, BEFORE);
    await exec(target, database, `INSERT INTO ${quoteQualified(database, 'items')} (name) SELECT CONCAT('n', seq) FROM seq_1_to_50000`);
    const c = change(CASES[0]!.after);
    const v = await instantVerdict(conn, database, [c]);
    assert.ok(v.instant && v.revertible, v.why);
    const idBefore = await innodbTableId(target, database);
    const started = Date.now();
    const { stallMs } = await runInstant(conn, database, v.forward, { lockWaitSeconds: 0.8, attempts: 3, blockerWaitSeconds: 5 });
    const tookMs = Date.now() - started;
    const rebuilt = (await innodbTableId(target, database)) !== idBefore;
    console.log(`[instant deploy] 50000 rows: ${tookMs} ms, writes waited ${stallMs} ms, table rebuilt: ${rebuilt}`);
    assert.equal(rebuilt, false, 'an instant ALTER does not rebuild the table');
    const cols = (await exec(target, database, `SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'items' ORDER BY ORDINAL_POSITION`, [database])) as { c: string }[];
    assert.deepEqual(cols.map((x) => x.c), ['id', 'name', 'note', 'added']);
    await exec(target, database, `UPDATE ${quoteQualified(database, 'items')} SET added = id WHERE id <= 10`);
    await runInstant(conn, database, v.inverse, { lockWaitSeconds: 0.8, attempts: 3, blockerWaitSeconds: 5 });
    const back = (await exec(target, database, `SHOW CREATE TABLE ${quoteQualified(database, 'items')}`)) as Record<string, string>[];
    assert.equal(back[0]!['Create Table']!.includes('`added`'), false);
    const [n] = (await exec(target, database, `SELECT COUNT(*) AS n FROM ${quoteQualified(database, 'items')}`)) as { n: number }[];
    assert.equal(Number(n!.n), 50000);
  } finally {
    await conn.end();
    await drop();
  }
});

/** InnoDB's id of the table: a rebuild (COPY or INPLACE) makes a new one, an instant ALTER keeps it. */
async function innodbTableId(target: Parameters<typeof exec>[0], database: string): Promise<string> {
  const r = (await exec(target, database, 'SELECT TABLE_ID AS id FROM information_schema.INNODB_SYS_TABLES WHERE NAME = ?', [`${database}/items`])) as { id: string }[];
  assert.ok(r[0], 'InnoDB knows the table');
  return String(r[0].id);
}
