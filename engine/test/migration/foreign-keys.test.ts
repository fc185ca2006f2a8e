import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import type { ServerTarget } from '../../src/db/target.js';
import type { SchemaChange } from '../../src/diff/change.js';
import { readLiveSchema, type Queryable } from '../../src/db/introspect.js';
import { diffSchemas } from '../../src/diff/index.js';
import { ForeignKeyViolation, MigrationRefused, OnlineMigration } from '../../src/migration/index.js';
import { shadowName } from '../../src/migration/names.js';
import { setPhase } from '../../src/migration/store.js';
import { connect, freshDatabase } from '../../../test/support/server.js';
import { columnsOf, exec, tableNames } from './scenario.js';

const newId = (): number => 8_000_000 + Math.floor(Math.random() * 1_000_000);

/** g <- p <- c: `p` is migrated; it references `g` and is referenced by `c` (ON DELETE CASCADE). */
async function family(target: ServerTarget, db: string): Promise<void> {
  await exec(target, db, 'CREATE TABLE g (id int NOT NULL PRIMARY KEY) ENGINE=InnoDB');
  await exec(target, db, 'CREATE TABLE h (id int NOT NULL PRIMARY KEY) ENGINE=InnoDB');
  await exec(target, db, 'CREATE TABLE p (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, g_id int NOT NULL, name varchar(20) NOT NULL DEFAULT \'\', CONSTRAINT p_g FOREIGN KEY (g_id) REFERENCES g (id)) ENGINE=InnoDB');
  await exec(target, db, 'CREATE TABLE c (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, p_id int NOT NULL, CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE) ENGINE=InnoDB');
  await exec(target, db, 'INSERT INTO g SELECT seq FROM seq_1_to_10');
  await exec(target, db, 'INSERT INTO h SELECT seq FROM seq_1_to_10');
  await exec(target, db, 'INSERT INTO p (id, g_id) SELECT seq, 1 + seq % 10 FROM seq_1_to_3000');
  await exec(target, db, 'INSERT INTO c (p_id) SELECT seq FROM seq_1_to_3000');
}

/** `table -> referenced table` for every foreign key in the database, by constraint name. */
async function keys(target: ServerTarget, db: string): Promise<Record<string, string>> {
  const r = (await exec(target, db, 'SELECT CONSTRAINT_NAME AS n, TABLE_NAME AS t, REFERENCED_TABLE_NAME AS r FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY CONSTRAINT_NAME', [db])) as { n: string; t: string; r: string }[];
  return Object.fromEntries(r.map((x) => [x.n, `${x.t} -> ${x.r}`]));
}

async function orphans(target: ServerTarget, db: string): Promise<number> {
  const r = (await exec(target, db, 'SELECT COUNT(*) AS n FROM c LEFT JOIN p ON p.id = c.p_id WHERE p.id IS NULL')) as { n: number }[];
  return Number(r[0]!.n);
}

/** Inserts a parent, then a child of it, over and over; every few rounds deletes an older parent (the cascade must take its children). */
class FamilyWriter {
  inserted = 0;
  childFailures = 0;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private conn: Connection | undefined;
  private waiters: { n: number; resolve: () => void }[] = [];

  constructor(
    private readonly target: ServerTarget,
    private readonly db: string,
  ) {}

  async start(): Promise<void> {
    this.conn = await connect(this.target, this.db);
    this.loop = this.run(this.conn);
  }

  private async run(conn: Connection): Promise<void> {
    while (!this.stopping) {
      const [res] = await conn.query<ResultSetHeader>('INSERT INTO p (g_id, name) VALUES (?, ?)', [1 + (this.inserted % 10), 'w']);
      try {
        await conn.query('INSERT INTO c (p_id) VALUES (?)', [res.insertId]);
      } catch (err) {
        // 1452: the child's key still points at the table set aside, which does not have the new parent yet.
        if ((err as { errno?: number }).errno !== 1452) throw err;
        this.childFailures++;
      }
      if (this.inserted % 7 === 0) await conn.query('DELETE FROM p WHERE id = ?', [res.insertId - 3]);
      this.inserted++;
      for (const w of this.waiters.filter((x) => this.inserted >= x.n)) w.resolve();
      this.waiters = this.waiters.filter((x) => this.inserted < x.n);
    }
  }

  /** Resolves after `more` further rounds. */
  progress(more: number): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ n: this.inserted + more, resolve }));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const w of this.waiters) w.resolve();
    await this.loop;
    await this.conn?.end();
  }
}

function change(p: Partial<SchemaChange> & { alterSpec: string }): SchemaChange {
  return { table: 'p', kind: 'alter_table', statement: `ALTER TABLE \`p\` ${p.alterSpec}`, class: 'safe', reasons: [], ...p };
}

test('foreign keys into and out of a migrated table follow it through cut-over and revert, under a writer of parents and children', async () => {
  const { target, database, drop } = await freshDatabase('migfk');
  const writer = new FamilyWriter(target, database);
  try {
    await family(target, database);
    await writer.start();
    const spec = "ADD COLUMN `note` varchar(20) NOT NULL DEFAULT ''";
    const m = await OnlineMigration.prepare(target, database, newId(), [change({ alterSpec: spec, shadowSpec: spec })]);
    await m.copy();
    await writer.progress(50);
    const failuresBefore = writer.childFailures;
    const { stallMs } = await m.cutOver();
    await writer.progress(50);
    const expected = { c_p: 'c -> p', p_g: 'p -> g' };
    assert.deepEqual(await keys(target, database), expected);
    assert.ok((await columnsOf(target, database, 'p')).includes('note'));
    console.log(`[foreign keys] cut-over stall ${stallMs} ms (keys linked under the locks)`);
    // Children never point at the table set aside: no child of a new parent is refused.
    assert.equal(writer.childFailures - failuresBefore, 0);

    m.startWindowSync(50);
    await writer.progress(50);
    const failuresBeforeRevert = writer.childFailures;
    await m.revert();
    await writer.progress(50);
    assert.equal(writer.childFailures - failuresBeforeRevert, 0);
    await writer.stop();
    assert.deepEqual(await keys(target, database), expected);
    assert.ok(!(await columnsOf(target, database, 'p')).includes('note'));
    assert.equal(await orphans(target, database), 0);
    // The cascade runs from the live parent table again.
    await exec(target, database, 'DELETE FROM p WHERE id = 5');
    assert.deepEqual(await exec(target, database, 'SELECT id FROM c WHERE p_id = 5'), []);
    await m.finish();
    await m.close();
    assert.deepEqual(await tableNames(target, database), ['c', 'g', 'h', 'p']);
  } finally {
    await writer.stop().catch(() => undefined);
    await drop();
  }
});

test('a change that drops one foreign key of the migrated table and adds another; finish drops the old table', async () => {
  const { target, database, drop } = await freshDatabase('migfk2');
  try {
    await family(target, database);
    const m = await OnlineMigration.prepare(target, database, newId(), [
      change({
        alterSpec: 'DROP FOREIGN KEY `p_g`, ADD COLUMN `h_id` int NULL, ADD CONSTRAINT `p_h` FOREIGN KEY (`h_id`) REFERENCES `h` (`id`) ON DELETE SET NULL',
        shadowSpec: 'ADD COLUMN `h_id` int NULL',
        foreignKeys: {
          dropped: [{ name: 'p_g', columns: ['g_id'], refTable: 'g', refColumns: ['id'] }],
          added: [{ name: 'p_h', columns: ['h_id'], refTable: 'h', refColumns: ['id'], onDelete: 'SET NULL' }],
        },
      }),
    ]);
    await m.copy();
    await m.cutOver();
    assert.deepEqual(await keys(target, database), { c_p: 'c -> p', p_h: 'p -> h' });
    await exec(target, database, 'UPDATE p SET h_id = 3 WHERE id = 1');
    await assert.rejects(exec(target, database, 'UPDATE p SET h_id = 99 WHERE id = 1'), /foreign key constraint fails/);
    await exec(target, database, 'INSERT INTO p (g_id) VALUES (99)'); // p_g is gone
    await m.finish();
    await m.close();
    assert.deepEqual(await tableNames(target, database), ['c', 'g', 'h', 'p']);
    assert.deepEqual(await keys(target, database), { c_p: 'c -> p', p_h: 'p -> h' });
    await exec(target, database, 'DELETE FROM h WHERE id = 3');
    assert.deepEqual(await exec(target, database, 'SELECT h_id FROM p WHERE id = 1'), [{ h_id: null }]);
  } finally {
    await drop();
  }
});

test('recovery puts keys right from the server: linked under locks but never renamed goes back; a link cut short after the RENAME is completed', async () => {
  const { target, database, drop } = await freshDatabase('migfk3');
  try {
    await family(target, database);
    const id = newId();
    const spec = 'ADD COLUMN `note` int NULL';
    const m = await OnlineMigration.prepare(target, database, id, [change({ alterSpec: spec, shadowSpec: spec })]);
    await m.copy();
    const shadow = shadowName('p', id);
    const raw = await connect(target, database);
    await raw.query('SET SESSION foreign_key_checks = 0');
    // Died under the cut-over locks half-way through linking: the child points at the shadow, p_g is on neither table.
    await raw.query('ALTER TABLE c DROP FOREIGN KEY c_p');
    await raw.query(`ALTER TABLE c ADD CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES \`${shadow}\` (id) ON DELETE CASCADE`);
    await raw.query('ALTER TABLE p DROP FOREIGN KEY p_g');
    await setPhase(raw, id, 'ready_to_cut_over', 'cutting_over');
    await m.close();
    const again = (await OnlineMigration.load(target, id))!;
    assert.equal(again.phase, 'ready_to_cut_over');
    assert.deepEqual(await keys(target, database), { c_p: 'c -> p', p_g: 'p -> g' });

    await again.cutOver();
    // Died after the RENAME with the child's key dropped and not yet added again.
    await raw.query('ALTER TABLE c DROP FOREIGN KEY c_p');
    await setPhase(raw, id, 'ready_to_cut_over', 'cutting_over');
    await raw.end();
    await again.close();
    const third = (await OnlineMigration.load(target, id))!;
    assert.equal(third.phase, 'cut_over');
    assert.deepEqual(await keys(target, database), { c_p: 'c -> p', p_g: 'p -> g' });
    await third.finish();
    await third.close();
    assert.deepEqual(await tableNames(target, database), ['c', 'g', 'h', 'p']);
  } finally {
    await drop();
  }
});

test('the diff engine\'s one-alter-per-table change (shadowSpec, foreignKeys) migrates online: a key moved to another parent', async () => {
  const main = await freshDatabase('migfk4');
  const branch = await freshDatabase('migfk4b');
  try {
    await family(main.target, main.database);
    await family(branch.target, branch.database);
    await exec(branch.target, branch.database, 'ALTER TABLE p DROP FOREIGN KEY p_g, ADD COLUMN h_id int NULL, ADD CONSTRAINT p_h FOREIGN KEY (h_id) REFERENCES h (id)');
    const conn = await connect(main.target);
    const from = await readLiveSchema(conn as unknown as Queryable, main.database);
    const to = await readLiveSchema(conn as unknown as Queryable, branch.database);
    await conn.end();
    const changes = diffSchemas(from, to, { onePerTable: true });
    assert.deepEqual(
      changes.map((c) => [c.table, c.kind, c.foreignKeys?.dropped.map((k) => k.name), c.foreignKeys?.added.map((k) => k.name)]),
      [['p', 'alter_table', ['p_g'], ['p_h']]],
    );
    const m = await OnlineMigration.prepare(main.target, main.database, newId(), changes);
    await m.copy();
    await m.cutOver();
    assert.deepEqual(await keys(main.target, main.database), { c_p: 'c -> p', p_h: 'p -> h' });
    await m.finish();
    await m.close();
    assert.deepEqual(await tableNames(main.target, main.database), ['c', 'g', 'h', 'p']);
  } finally {
    await main.drop();
    await branch.drop();
  }
});

test('keys the engine cannot move are refused before anything is built: a child in another database, a child of a dropped table', async () => {
  const { target, database, drop } = await freshDatabase('migfk5');
  const other = await freshDatabase('migfk5x');
  try {
    await family(target, database);
    await exec(target, other.database, `CREATE TABLE x (id int NOT NULL PRIMARY KEY, p_id int NOT NULL, CONSTRAINT x_p FOREIGN KEY (p_id) REFERENCES \`${database}\`.p (id)) ENGINE=InnoDB`);
    const spec = 'ADD COLUMN `note` int NULL';
    await assert.rejects(OnlineMigration.prepare(target, database, newId(), [change({ alterSpec: spec, shadowSpec: spec })]), (err: Error) => {
      assert.ok(err instanceof MigrationRefused);
      assert.equal(err.problems[0]!.split(';')[0], `schemabranch cannot yet migrate p online because of foreign key x_p (${other.database}.x -> ${database}.p)`);
      assert.match(err.message, /Drop that key in a deploy of its own/);
      return true;
    });
    await assert.rejects(
      OnlineMigration.prepare(target, database, newId(), [{ table: 'g', kind: 'drop_table', statement: 'DROP TABLE `g`', class: 'destructive', reasons: [] }]),
      /cannot yet migrate g online because of foreign key p_g \(p -> g\); p still references the table to be dropped/,
    );
    assert.deepEqual(await tableNames(target, database), ['c', 'g', 'h', 'p']);
  } finally {
    await other.drop();
    await drop();
  }
});

test('a key the change adds is checked before it is added without row checks: at prepare, before the swap, and before a revert', async () => {
  const { target, database, drop } = await freshDatabase('migfk6');
  try {
    await family(target, database);
    const addKey = change({
      alterSpec: 'ADD CONSTRAINT `p_gh` FOREIGN KEY (`g_id`) REFERENCES `h` (`id`)',
      shadowSpec: '',
      foreignKeys: { dropped: [], added: [{ name: 'p_gh', columns: ['g_id'], refTable: 'h', refColumns: ['id'] }] },
    });
    await exec(target, database, 'INSERT INTO g VALUES (42)');
    await exec(target, database, 'INSERT INTO p (id, g_id) VALUES (9001, 42)');
    await assert.rejects(OnlineMigration.prepare(target, database, newId(), [addKey]), (err: unknown) => err instanceof ForeignKeyViolation && /p_gh \(p -> h\) is violated by p row \{"g_id":42\}/.test(err.message));
    await exec(target, database, 'DELETE FROM p WHERE id = 9001');

    const m = await OnlineMigration.prepare(target, database, newId(), [addKey]);
    await m.copy();
    await exec(target, database, 'INSERT INTO p (id, g_id) VALUES (9002, 42)'); // written during the copy, drained to the shadow
    await assert.rejects(m.cutOver(), (err: unknown) => err instanceof ForeignKeyViolation && err.retrySafe && /^Cut-over refused: Foreign key p_gh/.test(err.message));
    assert.equal(m.phase, 'ready_to_cut_over');
    await exec(target, database, 'DELETE FROM p WHERE id = 9002');
    await m.cutOver();
    assert.deepEqual(await keys(target, database), { c_p: 'c -> p', p_g: 'p -> g', p_gh: 'p -> h' });

    // The revert puts back no key the old schema lacked; the old keys are all still satisfied, so it goes through.
    m.startWindowSync(50);
    await m.revert();
    assert.deepEqual(await keys(target, database), { c_p: 'c -> p', p_g: 'p -> g' });
    await m.finish();
    await m.close();
  } finally {
    await drop();
  }
});

test('a revert that would put back a dropped key is refused while rows written since the deploy violate it', async () => {
  const { target, database, drop } = await freshDatabase('migfk7');
  try {
    await family(target, database);
    const m = await OnlineMigration.prepare(target, database, newId(), [
      change({ alterSpec: 'DROP FOREIGN KEY `p_g`', shadowSpec: '', foreignKeys: { dropped: [{ name: 'p_g', columns: ['g_id'], refTable: 'g', refColumns: ['id'] }], added: [] } }),
    ]);
    await m.copy();
    await m.cutOver();
    assert.deepEqual(await keys(target, database), { c_p: 'c -> p' });
    await exec(target, database, 'INSERT INTO p (id, g_id) VALUES (9100, 77)');
    const pre = await m.preflightRevert();
    assert.equal(pre.ok, false);
    assert.match(pre.problems.join('\n'), /Foreign key p_g \(p -> g\) is violated by p row \{"g_id":77\}/);
    await exec(target, database, 'DELETE FROM p WHERE id = 9100');
    await m.revert();
    assert.deepEqual(await keys(target, database), { c_p: 'c -> p', p_g: 'p -> g' });
    await m.finish();
    await m.close();
  } finally {
    await drop();
  }
});

test('a parent and its child altered in one migration: each key names the other table as it is after each swap', async () => {
  const { target, database, drop } = await freshDatabase('migfk8');
  try {
    await family(target, database);
    // A cascading key on a copied table is refused (see the next test); here the child's key restricts.
    await exec(target, database, 'ALTER TABLE c DROP FOREIGN KEY c_p');
    await exec(target, database, 'ALTER TABLE c ADD CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id)');
    const specP = 'ADD COLUMN `note` int NULL';
    const specC = 'ADD COLUMN `qty` int NOT NULL DEFAULT 1';
    const m = await OnlineMigration.prepare(target, database, newId(), [change({ alterSpec: specP, shadowSpec: specP }), { ...change({ alterSpec: specC, shadowSpec: specC }), table: 'c', statement: `ALTER TABLE \`c\` ${specC}` }]);
    await m.copy();
    await m.cutOver();
    const expected = { c_p: 'c -> p', p_g: 'p -> g' };
    assert.deepEqual(await keys(target, database), expected);
    await assert.rejects(exec(target, database, 'DELETE FROM p WHERE id = 10'), /foreign key constraint fails/, 'the key holds between the two new tables');
    m.startWindowSync(50);
    await m.revert();
    assert.deepEqual(await keys(target, database), expected);
    assert.ok(!(await columnsOf(target, database, 'c')).includes('qty'));
    await assert.rejects(exec(target, database, 'DELETE FROM p WHERE id = 11'), /foreign key constraint fails/);
    assert.equal(await orphans(target, database), 0);
    await m.finish();
    await m.close();
    assert.deepEqual(await tableNames(target, database), ['c', 'g', 'h', 'p']);
  } finally {
    await drop();
  }
});

test('a copied table whose key the server cascades into (ON DELETE CASCADE, ON UPDATE CASCADE, SET NULL) is refused before anything is built', async () => {
  const { target, database, drop } = await freshDatabase('migfk9');
  try {
    await family(target, database);
    const spec = 'ADD COLUMN `qty` int NOT NULL DEFAULT 1';
    const childChange = { ...change({ alterSpec: spec, shadowSpec: spec }), table: 'c', statement: `ALTER TABLE \`c\` ${spec}` };
    await assert.rejects(OnlineMigration.prepare(target, database, newId(), [childChange]), (err: unknown) => {
      assert.ok(err instanceof MigrationRefused);
      assert.equal(err.problems.length, 1);
      assert.match(err.problems[0]!, /^Foreign key c_p \(c -> p\) is ON DELETE CASCADE: the server applies it to c without firing triggers/);
      assert.match(err.message, /nothing was built and main is unchanged/);
      return true;
    });
    // Sakila's customer.fk_customer_address shape, and a key the change itself would add with SET NULL.
    await exec(target, database, 'ALTER TABLE p DROP FOREIGN KEY p_g');
    await exec(target, database, 'ALTER TABLE p ADD CONSTRAINT p_g FOREIGN KEY (g_id) REFERENCES g (id) ON DELETE RESTRICT ON UPDATE CASCADE');
    await assert.rejects(OnlineMigration.prepare(target, database, newId(), [change({ alterSpec: 'ADD COLUMN `note` int NULL', shadowSpec: 'ADD COLUMN `note` int NULL', foreignKeys: { added: [{ name: 'p_h', columns: ['g_id'], refTable: 'h', refColumns: ['id'], onDelete: 'SET NULL' }], dropped: [] } })]), (err: unknown) => {
      assert.ok(err instanceof MigrationRefused);
      assert.deepEqual(
        err.problems.map((x) => x.split(':')[0]),
        ['Foreign key p_g (p -> g) is ON UPDATE CASCADE', 'Foreign key p_h (p -> h) would be ON DELETE SET NULL'],
      );
      return true;
    });
    assert.deepEqual(await tableNames(target, database), ['c', 'g', 'h', 'p']);
  } finally {
    await drop();
  }
});
