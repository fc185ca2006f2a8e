/**
 * The drain's statements read each key through an index, whatever the key's
 * shape: EXPLAIN on the real server, with a full batch of keys, shows no
 * full scan of the table, the shadow or the changelog.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { DRAIN_BATCH } from '../../src/migration/drain.js';
import { openEngineConnection } from '../../src/migration/session.js';
import { analyzeTable, copyKeys, createChangelog, deleteChangelog, deleteKeys, readChangelogKeys } from '../../src/migration/sql.js';
import { quoteQualified } from '../../src/sql/quote.js';
import { connect, freshDatabase } from '../../../test/support/server.js';

const ROWS = 20_000;
/** A quarter of the table: a share at which the server prefers a full scan to a plain key list. */
const BATCH = Math.max(DRAIN_BATCH, 5000);

const shapes: { name: string; columns: string; key: string[]; keyTypes: { name: string; columnType: string }[]; row: string; value: (i: number) => unknown[] }[] = [
  { name: 'integer', columns: '`id` int NOT NULL, `c` varchar(20) NOT NULL', key: ['id'], keyTypes: [{ name: 'id', columnType: 'int(11)' }], row: 'seq, CONCAT(\'r\', seq)', value: (i) => [i] },
  {
    name: 'composite',
    columns: '`k` int NOT NULL, `id` int NOT NULL, `c` varchar(20) NOT NULL',
    key: ['k', 'id'],
    keyTypes: [
      { name: 'k', columnType: 'int(11)' },
      { name: 'id', columnType: 'int(11)' },
    ],
    row: 'seq % 100, seq, CONCAT(\'r\', seq)',
    value: (i) => [i % 100, i],
  },
  { name: 'string', columns: '`id` varchar(40) NOT NULL, `c` varchar(20) NOT NULL', key: ['id'], keyTypes: [{ name: 'id', columnType: 'varchar(40)' }], row: 'CONCAT(\'key-\', seq), \'r\'', value: (i) => [`key-${i}`] },
  { name: 'binary', columns: '`id` binary(16) NOT NULL, `c` varchar(20) NOT NULL', key: ['id'], keyTypes: [{ name: 'id', columnType: 'binary(16)' }], row: 'UNHEX(MD5(seq)), \'r\'', value: (i) => [Buffer.from(md5hex(i), 'hex')] },
];

function md5hex(i: number): string {
  return createHash('md5').update(String(i)).digest('hex');
}

async function plan(conn: Connection, sql: string, params: unknown[]): Promise<RowDataPacket[]> {
  const [r] = await conn.query<RowDataPacket[]>(`EXPLAIN ${sql}`, params);
  return r;
}

function assertNoFullScan(rows: RowDataPacket[], what: string): void {
  const scans = rows.filter((r) => r.table && !String(r.table).startsWith('<') && (r.type === 'ALL' || r.type === 'index'));
  assert.deepEqual(scans.map((r) => `${r.table}: ${r.type}`), [], `${what} scans a whole table:\n${JSON.stringify(rows)}`);
}

for (const shape of shapes) {
  test(`the drain reads ${shape.name} keys through the index (EXPLAIN: locking statements with ${BATCH} keys, reads with ${DRAIN_BATCH})`, async () => {
    const { target, database, drop } = await freshDatabase('drainix');
    const setup = await connect(target, database);
    const conn = await openEngineConnection(target);
    try {
      const pk = shape.key.map((k) => `\`${k}\``).join(', ');
      for (const t of ['src', 'dst']) await setup.query(`CREATE TABLE ${quoteQualified(database, t)} (${shape.columns}, PRIMARY KEY (${pk})) ENGINE=InnoDB`);
      await setup.query(`INSERT INTO \`src\` SELECT ${shape.row} FROM seq_1_to_${ROWS}`);
      // The shadow starts empty and fills up: the plan must not depend on its statistics.
      await setup.query(`CREATE TABLE \`cl\` LIKE \`src\``);
      await setup.query(createChangelog(database, 'changelog', shape.keyTypes));
      await setup.query(`INSERT INTO \`changelog\` (\`side\`, ${pk}) SELECT 1, ${pk} FROM \`src\``);
      await setup.query(`INSERT INTO \`dst\` SELECT * FROM \`src\``);
      // As the engine does once its copy is done (a source just filled may still carry an empty table's statistics).
      await setup.query(analyzeTable(database, 'src'));

      const keys = Array.from({ length: BATCH }, (_, i) => shape.value(i * 3 + 1)).flat();
      const seqs = Array.from({ length: BATCH }, (_, i) => i * 3 + 1);
      // Locking statements: a scan would wait on every row an open transaction holds, so none may scan whatever share of the table it names.
      assertNoFullScan(await plan(conn, deleteKeys(database, 'dst', shape.key, BATCH), keys), 'deleting changed keys');
      assertNoFullScan(await plan(conn, deleteChangelog(database, 'changelog', BATCH), seqs), 'deleting drained changelog rows');
      // Consistent reads take no locks: with the drain's batch they read through the index too.
      const batch = keys.slice(0, DRAIN_BATCH * shape.key.length);
      assertNoFullScan(await plan(conn, copyKeys(database, 'src', 'dst', ['c', ...shape.key], shape.key, DRAIN_BATCH, true), batch), 're-copying changed keys');
      assertNoFullScan(await plan(conn, copyKeys(database, 'src', 'cl', ['c', ...shape.key], shape.key, DRAIN_BATCH, false), batch), 're-copying into a table that was empty');
      assertNoFullScan(await plan(conn, readChangelogKeys(database, 'changelog', shape.key, DRAIN_BATCH), [2, ...batch]), 'reading which keys changed later');
    } finally {
      await conn.end();
      await setup.end();
      await drop();
    }
  });
}
