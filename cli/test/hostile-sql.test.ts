/** Issue 9, finding 1: SQL smuggled through a schema file's quoted values never reaches the server. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { withConnection } from '../../engine/src/db/connection.js';
import { quoteIdent } from '../../engine/src/sql/quote.js';
import { testWorkspace } from '../../engine/test/branch/workspace.js';
import { cli } from './run-cli.js';

test('the canary finding: quoted ENGINE, CHARSET, COLLATE, ROW_FORMAT and UNION values are errors; branch push sends nothing and canary survives', async () => {
  const canary = `canary_${randomBytes(4).toString('hex')}`;
  const drop = `DROP DATABASE ${canary}`;
  const ws = await testWorkspace({
    'schema/main/x.sql': [
      `CREATE TABLE x (id int) ENGINE=\`InnoDB; ${drop}; --\`;`,
      `CREATE TABLE y (id int) DEFAULT CHARSET='utf8mb4; ${drop}; --';`,
      `CREATE TABLE z (id int) COLLATE="utf8mb4_bin; ${drop}";`,
      `CREATE TABLE w (id int) ROW_FORMAT=\`DYNAMIC; ${drop}\`;`,
      `CREATE TABLE v (id int) ENGINE=MERGE UNION=(x, '${drop}');`,
      '',
    ].join('\n'),
  });
  const dir = ['--dir', ws.root];
  try {
    await withConnection(ws.target, undefined, async (conn) => {
      await conn.query(`CREATE DATABASE ${quoteIdent(canary)}`);
      await conn.query(`CREATE TABLE ${quoteIdent(canary)}.\`bird\` (id int)`);
    });

    const lint = await cli(['lint', 'main', ...dir]);
    assert.equal(lint.code, 1, lint.stdout + lint.stderr);
    for (const [line, what] of [[1, `"InnoDB; ${drop}; --" is not an engine`], [2, `"utf8mb4; ${drop}; --" is not a character set`], [3, `"utf8mb4_bin; ${drop}" is not a collation`], [4, `"DYNAMIC; ${drop}" is not a row format`], [5, `"'${drop}'" is not a table name; UNION=(...) lists table names`]] as const) {
      assert.ok(lint.stdout.includes(`x.sql:${line}:`) && lint.stdout.includes(what), `lint names ${what} on line ${line}:\n${lint.stdout}`);
    }

    for (const args of [['branch', 'push', 'main', '--dry-run'], ['branch', 'push', 'main']]) {
      const push = await cli([...args, ...dir]);
      assert.equal(push.code, 1, `${args.join(' ')} must fail:\n${push.stdout}`);
      assert.doesNotMatch(push.stdout, /CREATE TABLE/, 'nothing is shown as sent');
      assert.match(push.stderr, /is not an engine schemabranch can write into SQL; use one of InnoDB/);
    }

    await withConnection(ws.target, undefined, async (conn) => {
      const [rows] = await conn.query<RowDataPacket[]>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [canary]);
      assert.deepEqual(rows.map((r) => r.t), ['bird'], 'canary and its table survive');
      const [dbs] = await conn.query<RowDataPacket[]>('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [ws.config.database]);
      assert.equal(dbs.length, 0, 'main was not even created');
    });
  } finally {
    await withConnection(ws.target, undefined, (conn) => conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(canary)}`));
    await ws.cleanup();
  }
});

test('branch push --dry-run prints every statement in full, exactly as branch push then sends it', async () => {
  const ws = await testWorkspace({
    'schema/main/notes.sql': "CREATE TABLE notes (\n  id int NOT NULL PRIMARY KEY,\n  body varchar(50) NOT NULL DEFAULT ';--' COMMENT 'it''s /* not */ a comment; -- really',\n  KEY k (body)\n) COMMENT='a\\\\b';\n",
  });
  const dir = ['--dir', ws.root];
  try {
    const dry = await cli(['branch', 'push', 'main', '--dry-run', ...dir]);
    assert.equal(dry.code, 0, dry.stderr);
    const sent = await cli(['branch', 'push', 'main', '--json', ...dir]);
    assert.equal(sent.code, 0, sent.stderr);
    const json = JSON.parse(sent.stdout) as { createDatabase: string; changes: Array<{ statement: string }> };
    const statements = [json.createDatabase, ...json.changes.map((c) => c.statement)];
    assert.equal(statements.length, 2);
    assert.match(statements[0], /^CREATE DATABASE `/);
    assert.ok(dry.stdout.includes(`Would apply 2 statements to ${ws.config.database} (first load of main):\n${statements.map((s) => `${s};\n`).join('-- safe\n')}`), `the dry run shows the statements sent:\n${dry.stdout}`);
    assert.match(statements[1], /COMMENT 'it''s \/\* not \*\/ a comment; -- really',\n/);
    await withConnection(ws.target, ws.config.database, async (conn) => {
      const [rows] = await conn.query<RowDataPacket[]>("SELECT COLUMN_COMMENT AS c, COLUMN_DEFAULT AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'body'");
      assert.deepEqual([rows[0].c, rows[0].d], ["it's /* not */ a comment; -- really", "';--'"]);
    });
  } finally {
    await ws.cleanup();
  }
});
