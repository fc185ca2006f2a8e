/**
 * Keys moved at cut-over and revert come back exactly as they were written: SHOW CREATE
 * TABLE of the parent's children and of the migrated table's own keys is unchanged (no
 * `ON UPDATE NO ACTION` or `ON DELETE RESTRICT` the file never said).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SchemaChange } from '../../src/diff/change.js';
import { OnlineMigration } from '../../src/migration/index.js';
import { freshDatabase } from '../../../test/support/server.js';
import { showCreateTables } from '../corpus/corpus.js';
import { exec } from './scenario.js';

test('keys moved at cut-over and revert keep their actions as written (none, CASCADE, NO ACTION)', { timeout: 50_000 }, async () => {
  const { target, database, drop } = await freshDatabase('keyfid');
  let m: OnlineMigration | undefined;
  try {
    await exec(target, database, 'CREATE TABLE g (id int NOT NULL PRIMARY KEY)');
    await exec(target, database, 'CREATE TABLE p (id int NOT NULL PRIMARY KEY, g_id int NOT NULL, h_id int NOT NULL, CONSTRAINT p_g FOREIGN KEY (g_id) REFERENCES g (id), CONSTRAINT p_h FOREIGN KEY (h_id) REFERENCES g (id) ON UPDATE NO ACTION)');
    await exec(target, database, 'CREATE TABLE c (id int NOT NULL PRIMARY KEY, p_id int NOT NULL, q_id int NOT NULL, CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id), CONSTRAINT c_q FOREIGN KEY (q_id) REFERENCES p (id) ON DELETE CASCADE ON UPDATE CASCADE)');
    await exec(target, database, 'INSERT INTO g SELECT seq FROM seq_1_to_10');
    await exec(target, database, 'INSERT INTO p SELECT seq, 1 + seq % 10, 1 + seq % 7 FROM seq_1_to_100');
    await exec(target, database, 'INSERT INTO c SELECT seq, 1 + seq % 100, 1 + seq % 90 FROM seq_1_to_200');
    const before = await showCreateTables(target, database);
    const spec = 'ADD COLUMN `note` int DEFAULT NULL';
    const change: SchemaChange = { table: 'p', kind: 'alter_table', statement: `ALTER TABLE \`p\` ${spec}`, class: 'safe', reasons: [], alterSpec: spec, shadowSpec: spec };
    m = await OnlineMigration.prepare(target, database, 8_100_000 + Math.floor(Math.random() * 100_000), [change]);
    await m.copy();
    await m.cutOver();
    const after = await showCreateTables(target, database);
    assert.equal(after.get('c'), before.get('c'), 'the child keys re-pointed at the new table read as written');
    assert.equal(after.get('p'), before.get('p')?.replace('  `h_id` int(11) NOT NULL,\n', '  `h_id` int(11) NOT NULL,\n  `note` int(11) DEFAULT NULL,\n'), 'the table\'s own keys read as written');
    await m.revert();
    const reverted = await showCreateTables(target, database);
    for (const t of ['c', 'g', 'p']) assert.equal(reverted.get(t), before.get(t), `${t} after revert`);
    await m.finish();
  } finally {
    // An open migration connection would keep the test process alive after a failure.
    await m?.close().catch(() => undefined);
    await drop();
  }
});
