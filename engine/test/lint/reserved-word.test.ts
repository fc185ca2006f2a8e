import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSchema } from '../../src/lint/index.js';
import { MARIADB_1011, MYSQL_80, reservedIn } from '../../src/lint/reserved-words.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { col, idx, located, schema, table } from './build.js';

test('table, column and index names that are reserved are warnings naming the servers', () => {
  const sql = 'CREATE TABLE `order` (\n  id int NOT NULL,\n  `rank` int,\n  `offset` int,\n  name int,\n  PRIMARY KEY (id),\n  KEY `key` (name)\n);';
  const t = located(
    table('order', [col('id', 'int', { nullable: false }), col('rank', 'int'), col('offset', 'int'), col('name', 'int')], {
      indexes: [idx('PRIMARY', 'primary', ['id']), idx('key', 'index', ['name'])],
    }),
    'order.sql',
    sql,
  );
  const found = lintSchema(schema(t)).filter((v) => v.code === 'reserved-word');
  assert.deepEqual(
    found.map((v) => [v.column ?? v.index ?? v.table, v.message.match(/reserved word in ([^:]+):/)?.[1]]),
    [
      ['order', 'MySQL 8.0 and MariaDB 10.11'],
      ['rank', 'MySQL 8.0'],
      ['offset', 'MariaDB 10.11'],
      ['key', 'MySQL 8.0 and MariaDB 10.11'],
    ],
  );
  assert.equal(found[0].severity, 'warning');
  assert.deepEqual(found[0].source, t.nameSource);
  assert.deepEqual(found[1].source, t.columns[1].source);
  assert.match(found[1].message, /quote it in backticks/);
});

test('ordinary names and non-reserved keywords pass; the primary key name is not checked', () => {
  assert.deepEqual(reservedIn('users'), []);
  assert.deepEqual(reservedIn('status'), []);
  assert.deepEqual(reservedIn('Select'), ['MySQL 8.0', 'MariaDB 10.11']);
  assert.equal(MYSQL_80.has('admin'), false, 'ADMIN is nonreserved since 8.0.12');
  const t = table('t', [col('id', 'int', { nullable: false })], { indexes: [idx('PRIMARY', 'primary', ['id'])] });
  assert.equal(lintSchema(schema(t)).filter((v) => v.code === 'reserved-word').length, 0);
});

/** Whether the server refuses `word` as an unquoted column and as an unquoted table name. */
async function refused(query: (sql: string) => Promise<unknown>, word: string): Promise<boolean> {
  let count = 0;
  for (const ddl of [`CREATE TABLE probe_t (${word} int)`, `CREATE TABLE ${word} (a int)`]) {
    try {
      // PREPARE parses without creating anything.
      await query(`PREPARE probe FROM '${ddl}'`);
    } catch (err) {
      if ((err as { errno?: number }).errno !== 1064) throw err;
      count++;
    }
  }
  assert.notEqual(count, 1, `${word} is refused in only one of the two places`);
  return count === 2;
}

test('the MariaDB list is exactly what the test server refuses, word by word', async (t) => {
  const db = await freshDatabase('lint');
  const conn = await connect(db.target, db.database);
  try {
    const [[{ v }]] = (await conn.query('SELECT VERSION() AS v')) as unknown as [[{ v: string }]];
    if (!/^10\.11\..*MariaDB/i.test(v)) {
      t.skip(`the list is measured on MariaDB 10.11; this server is ${v}`);
      return;
    }
    const [rows] = (await conn.query('SELECT WORD AS w FROM information_schema.KEYWORDS')) as unknown as [Array<{ w: string }>];
    const words = rows.map((r) => r.w).filter((w) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(w));
    assert.ok(words.length > 500);
    const query = (sql: string) => conn.query(sql);
    const wrong: string[] = [];
    for (const w of words) {
      if ((await refused(query, w)) !== MARIADB_1011.has(w.toLowerCase())) wrong.push(w);
    }
    assert.deepEqual(wrong, [], 'words the list gets wrong for this server');
    for (const w of MARIADB_1011) assert.ok(words.some((k) => k.toLowerCase() === w), `${w} is a keyword of the server`);
  } finally {
    await conn.end();
    await db.drop();
  }
});
