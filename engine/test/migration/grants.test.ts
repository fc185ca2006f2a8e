/**
 * Privileges are checked before a deploy builds anything (issue 9, finding
 * 7): an application owner without LOCK TABLES is told so up front, with
 * nothing built; given exactly the documented privileges, the deploy runs
 * through copy and cut-over as that user.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { dbPatternCovers, MissingPrivileges, missingOn, parseGrants, TARGET_PRIVILEGES, METADATA_PRIVILEGES } from '../../src/migration/grants.js';
import { OnlineMigration } from '../../src/migration/index.js';
import { quoteIdent, quoteString } from '../../src/sql/quote.js';
import { freshDatabase } from '../../../test/support/server.js';
import { alterChange, BASE_TABLE, columnsOf, exec, tableNames } from './scenario.js';

test('SHOW GRANTS lines are read as privileges on a scope; wildcards, ALL and column privileges', () => {
  const grants = parseGrants([
    "GRANT USAGE ON *.* TO `app`@`localhost` IDENTIFIED BY PASSWORD '*ABC'",
    'GRANT SELECT, INSERT, UPDATE (`c`), LOCK TABLES ON `shop`.* TO `app`@`localhost`',
    'GRANT ALL PRIVILEGES ON `app\\_%`.* TO `app`@`localhost`',
    'GRANT DELETE ON `shop`.`items` TO `app`@`localhost`',
    "GRANT PROXY ON ''@'%' TO 'app'@'localhost'",
  ]);
  assert.equal(grants.length, 4);
  assert.deepEqual(missingOn(grants, 'shop', ['SELECT', 'UPDATE', 'DELETE', 'LOCK TABLES']), ['UPDATE', 'DELETE'], 'a column privilege and a table grant cover no new table');
  assert.deepEqual(missingOn(grants, 'app_x', TARGET_PRIVILEGES), []);
  assert.deepEqual(missingOn(grants, 'appx', ['SELECT']), ['SELECT'], '`\\_` is a literal underscore');
  assert.ok(dbPatternCovers('a_c', 'abc'));
  assert.ok(!dbPatternCovers('a\\_c', 'abc'));
  assert.deepEqual(missingOn(parseGrants(['GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION']), 'x', [...TARGET_PRIVILEGES, ...METADATA_PRIVILEGES, 'SUPER']), []);
});

test('an application owner without LOCK TABLES is refused before anything is built, and with the documented grants the deploy runs as that user', async () => {
  const { target, database, drop } = await freshDatabase('miggrant');
  const user = `sb_app_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const account = `${quoteString(user)}@'localhost'`;
  const appOwner = 'SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, TRIGGER';
  try {
    await exec(target, database, BASE_TABLE(database, 'items'));
    await exec(target, database, "INSERT INTO items (k, c) SELECT seq % 10, CONCAT('r', seq) FROM seq_1_to_500");
    await exec(target, database, `CREATE USER ${account} IDENTIFIED BY ${quoteString(password)}`);
    await exec(target, database, `GRANT ${appOwner} ON ${quoteIdent(database)}.* TO ${account}`);
    await exec(target, database, `GRANT ${appOwner} ON \`_schemabranch\`.* TO ${account}`);
    const asApp = { ...target, user, password };
    const id = 9_500_000 + Math.floor(Math.random() * 400_000);

    const err = await OnlineMigration.prepare(asApp, database, id, [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')]).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof MissingPrivileges, String(err));
    console.log(`[grants] ${err.message}`);
    assert.deepEqual(err.missing, [
      { db: database, privileges: ['LOCK TABLES'] },
      { db: '_schemabranch', privileges: ['LOCK TABLES'] },
    ]);
    assert.match(err.message, new RegExp(`GRANT LOCK TABLES ON \`${database}\`\\.\\* TO '${user}'@'localhost';`));
    assert.deepEqual(await tableNames(target, database), ['items'], 'nothing was built');
    const triggers = (await exec(target, database, 'SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?', [database])) as { n: number }[];
    assert.equal(Number(triggers[0]!.n), 0);

    await exec(target, database, `GRANT LOCK TABLES ON ${quoteIdent(database)}.* TO ${account}`);
    await exec(target, database, `GRANT LOCK TABLES ON \`_schemabranch\`.* TO ${account}`);
    const m = await OnlineMigration.prepare(asApp, database, id, [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')], { blockerWaitSeconds: 5 });
    await m.copy();
    await m.cutOver();
    assert.ok((await columnsOf(target, database, 'items')).includes('added'));
    await m.finish();
    await m.close();
    assert.deepEqual(await tableNames(target, database), ['items']);
  } finally {
    await exec(target, database, `DROP USER IF EXISTS ${account}`).catch(() => undefined);
    await drop();
  }
});
