/**
 * Views, triggers, routines and events in the editor's branch-vs-main, over real LSP: the
 * object lint rules as diagnostics at the object's name, the code lens, the branch tree's
 * count and the diff preview. The editor compares files with files by their text (it never
 * defines a repository's objects on a server); the CLI's `diff` against main's files probes
 * both sides on the sandbox, and the two must agree on every statement.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CodeLensRequest, DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { Branches } from '../../engine/src/branch/branches.js';
import { loadWorkspaceConfig } from '../../engine/src/config/index.js';
import { testTarget } from '../../test/support/server.js';
import * as P from '../src/protocol.js';
import { makeWorkspace, startClient, type TestClient } from './support/lsp.js';

const TABLES = `CREATE TABLE film (
  film_id int NOT NULL AUTO_INCREMENT,
  title varchar(128) NOT NULL,
  rental_rate decimal(4,2) NOT NULL DEFAULT 4.99,
  PRIMARY KEY (film_id)
);
CREATE TABLE film_audit (
  id int NOT NULL AUTO_INCREMENT,
  film_id int NOT NULL,
  old_rate decimal(4,2),
  PRIMARY KEY (id)
);
`;

const VIEWS = `CREATE VIEW cheap_films AS
SELECT film_id, title FROM film WHERE rental_rate < 1;
`;

const TRIGGERS = `DELIMITER $$
CREATE TRIGGER film_rate_audit AFTER UPDATE ON film FOR EACH ROW
BEGIN
  IF NEW.rental_rate <> OLD.rental_rate THEN
    INSERT INTO film_audit (film_id, old_rate) VALUES (OLD.film_id, OLD.rental_rate);
  END IF;
END$$
DELIMITER ;
`;

// The same definitions laid out and commented differently: no change for the CLI's probe, none for the editor.
const VIEWS_REFLOWED = `-- films under a dollar
CREATE VIEW cheap_films AS SELECT film_id,   title
  FROM film /* the catalogue */ WHERE rental_rate < 1;
`;
const TRIGGERS_REFLOWED = `CREATE TRIGGER film_rate_audit AFTER UPDATE ON film FOR EACH ROW BEGIN
  -- only real changes
  IF NEW.rental_rate <> OLD.rental_rate THEN INSERT INTO film_audit (film_id, old_rate)
      VALUES (OLD.film_id, OLD.rental_rate); END IF;
END;
`;

const VIEWS_CHANGED = VIEWS.replace('SELECT film_id, title', 'SELECT film_id, title, rental_rate');
const TRIGGERS_CHANGED = TRIGGERS.replace('NEW.rental_rate <> OLD.rental_rate', 'NEW.rental_rate < OLD.rental_rate');

// A view over `*`: the server stores it with the columns the table has when it is created.
const STAR = `CREATE VIEW all_films AS SELECT * FROM film;
CREATE VIEW all_film_titles AS SELECT f.title FROM all_films f;
`;

const ROUTINES = `DELIMITER $$
CREATE FUNCTION discounted(rate decimal(4,2)) RETURNS decimal(4,2) DETERMINISTIC
BEGIN
  RETURN rate * 0.9;
END$$
CREATE PROCEDURE reprice(IN pct int)
BEGIN
  UPDATE film SET rental_rate = rental_rate * (100 + pct) / 100;
END$$
DELIMITER ;
CREATE EVENT nightly_reprice ON SCHEDULE EVERY 1 DAY DISABLE DO CALL reprice(0);
`;
const ROUTINES_REFLOWED = `CREATE FUNCTION discounted(rate decimal(4,2)) RETURNS decimal(4,2) DETERMINISTIC
BEGIN RETURN rate * 0.9; /* ten percent off */ END;
-- the nightly job
CREATE PROCEDURE reprice(IN pct int) BEGIN
    UPDATE film
       SET rental_rate = rental_rate * (100 + pct) / 100;
END;
CREATE EVENT nightly_reprice
  ON SCHEDULE EVERY 1 DAY
  DISABLE
  DO CALL reprice(0);
`;

const branch = (name: string, views: string, triggers: string, tables = TABLES, routines = ROUTINES) => ({
  [`schema/${name}/tables.sql`]: tables,
  [`schema/${name}/views.sql`]: views,
  [`schema/${name}/triggers.sql`]: triggers,
  [`schema/${name}/star.sql`]: STAR,
  [`schema/${name}/routines.sql`]: routines,
});

// No database of that name exists: the CLI's diff compares with main's files, as the editor does.
const database = `objdiff_${randomBytes(4).toString('hex')}`;
const ws = makeWorkspace({
  'schemabranch.json': JSON.stringify({ database }),
  ...branch('main', VIEWS, TRIGGERS),
  ...branch('same', VIEWS, TRIGGERS),
  ...branch('reflowed', VIEWS_REFLOWED, TRIGGERS_REFLOWED, TABLES, ROUTINES_REFLOWED),
  ...branch('routine', VIEWS, TRIGGERS, TABLES, ROUTINES.replace('rate * 0.9', 'rate * 0.8').replace('EVERY 1 DAY', 'EVERY 2 DAY')),
  ...branch('viewonly', VIEWS_CHANGED, TRIGGERS),
  ...branch('trigger', VIEWS, TRIGGERS_CHANGED),
  ...branch('gone', VIEWS, ''),
  ...branch('columns', VIEWS, TRIGGERS, TABLES.replace('  title varchar(128) NOT NULL,\n', '  title varchar(128) NOT NULL,\n  length smallint DEFAULT NULL,\n')),
  'schema/lint/tables.sql': TABLES,
  'schema/lint/objects.sql': `CREATE DEFINER=\`admin\`@\`%\` SQL SECURITY DEFINER VIEW titles AS SELECT title FROM film;
CREATE VIEW archived AS SELECT film_id FROM film_archive;
CREATE TRIGGER film_touch BEFORE UPDATE ON film FOR EACH ROW
  UPDATE film SET title = NEW.title WHERE film_id = NEW.film_id;
`,
});
let c: TestClient;
before(async () => (c = await startClient(ws.root)));
after(async () => {
  await c.close();
  ws.remove();
});

const diffOf = (name: string) => c.conn.sendRequest(P.BranchDiffRequest.type, { branch: name });
const lensTitles = async (rel: string) => ((await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: ws.uri(rel) } })) ?? []).map((l) => l.command?.title);
const changesVsMain = async () => new Map((await c.conn.sendRequest(P.ListBranchesRequest.type, {})).map((b) => [b.name, b.changesVsMain]));

test('a branch that changes only a view: "1 change vs main" on the view, CREATE OR REPLACE VIEW in the preview, 1 in the tree', async () => {
  assert.deepEqual(await lensTitles('schema/viewonly/views.sql'), ['1 change vs main — Preview']);
  assert.deepEqual(await lensTitles('schema/viewonly/triggers.sql'), ['No changes vs main — Preview branch diff']);
  assert.deepEqual(await lensTitles('schema/viewonly/tables.sql'), ['No changes vs main — Preview branch diff', 'No changes vs main — Preview branch diff']);
  const d = await diffOf('viewonly');
  assert.deepEqual(
    d.changes.map((x) => [x.kind, x.table, x.class]),
    [['replace_object', 'cheap_films', 'safe']],
  );
  assert.match(d.changes[0].statement, /^CREATE OR REPLACE VIEW `cheap_films` AS\s+SELECT film_id, title, rental_rate FROM film WHERE rental_rate < 1$/);
  assert.equal((await changesVsMain()).get('viewonly'), 1);
});

test('a changed trigger is DROP TRIGGER then CREATE TRIGGER in the preview, one change on its lens and in the tree; a removed one is a DROP', async () => {
  assert.deepEqual(await lensTitles('schema/trigger/triggers.sql'), ['1 change vs main — Preview']);
  const d = await diffOf('trigger');
  assert.deepEqual(d.changes.map((x) => [x.kind, x.table]), [['drop_object', 'film_rate_audit'], ['create_object', 'film_rate_audit']]);
  assert.equal(d.changes[0].statement, 'DROP TRIGGER `film_rate_audit`');
  assert.match(d.changes[1].statement, /NEW\.rental_rate < OLD\.rental_rate/);
  const gone = await diffOf('gone');
  assert.deepEqual(gone.changes.map((x) => [x.kind, x.statement, x.class]), [['drop_object', 'DROP TRIGGER `film_rate_audit`', 'destructive']]);
  const counts = await changesVsMain();
  assert.equal(counts.get('trigger'), 1);
  assert.equal(counts.get('gone'), 1);
});

test('a column added to a table a view selects * from redefines the view (its stored column list changes), and no other view', async () => {
  const d = await diffOf('columns');
  assert.deepEqual(d.changes.map((x) => [x.kind, x.table]), [['alter_table', 'film'], ['replace_object', 'all_films']]);
  assert.deepEqual(await lensTitles('schema/columns/star.sql'), ['1 change vs main — Preview', 'No changes vs main — Preview branch diff']);
  assert.equal((await changesVsMain()).get('columns'), 2);
});

test('a changed function and event are each DROP then CREATE, one change on each lens', async () => {
  assert.deepEqual((await diffOf('routine')).changes.map((x) => [x.kind, x.table]), [
    ['drop_object', 'discounted'],
    ['drop_object', 'nightly_reprice'],
    ['create_object', 'discounted'],
    ['create_object', 'nightly_reprice'],
  ]);
  assert.deepEqual(await lensTitles('schema/routine/routines.sql'), ['1 change vs main — Preview', 'No changes vs main — Preview branch diff', '1 change vs main — Preview']);
  assert.equal((await changesVsMain()).get('routine'), 2);
});

test('identical object files, and ones that differ only in layout and comments, give no change', async () => {
  for (const name of ['same', 'reflowed']) {
    assert.deepEqual((await diffOf(name)).changes, [], name);
    assert.deepEqual(await lensTitles(`schema/${name}/views.sql`), ['No changes vs main — Preview branch diff'], name);
    assert.deepEqual(await lensTitles(`schema/${name}/triggers.sql`), ['No changes vs main — Preview branch diff'], name);
    assert.deepEqual(await lensTitles(`schema/${name}/routines.sql`), Array(3).fill('No changes vs main — Preview branch diff'), name);
    assert.equal((await changesVsMain()).get(name), 0, name);
  }
});

test("the editor's statements are the CLI's: `schemabranch diff` against main's files (objects probed on the server) gives the same", async () => {
  const cli = new Branches(ws.root, loadWorkspaceConfig(ws.root), await testTarget());
  for (const name of ['same', 'reflowed', 'viewonly', 'trigger', 'gone', 'columns', 'routine']) {
    const probed = await cli.diffBranch(name);
    assert.equal(probed.base, 'main-files', name);
    const editor = await diffOf(name);
    assert.deepEqual(
      editor.changes.map((x) => [x.kind, x.table]),
      probed.changes.map((x) => [x.kind, x.table]),
      name,
    );
  }
});

test('object lint in the editor: a trigger writing its own table is an error at its name, a DEFINER and a missing table are warnings', async () => {
  const uri = ws.uri('schema/lint/objects.sql');
  const d = await c.nextDiagnostics(uri, () => true, false);
  const seen = d.map((x) => [x.code, x.severity, x.range.start.line, x.range.start.character, x.range.end.character]);
  assert.deepEqual(
    seen.sort(),
    [
      ['object-definer', DiagnosticSeverity.Warning, 0, 53, 59],
      ['object-missing-table', DiagnosticSeverity.Warning, 1, 12, 20],
      ['trigger-writes-own-table', DiagnosticSeverity.Error, 2, 15, 25],
      ['view-security-definer', DiagnosticSeverity.Information, 0, 53, 59],
    ].sort(),
  );
  const own = d.find((x) => x.code === 'trigger-writes-own-table');
  assert.match(String(own?.message), /Trigger `film_touch` writes to `film`/);
  assert.match(String(own?.codeDescription?.href), /lint-rules\.md#trigger-writes-own-table$/);
});

test("a table added in another file of the branch clears a view's missing-table warning; removing it brings it back", async () => {
  const uri = ws.uri('schema/lint/objects.sql');
  const archive = ws.uri('schema/lint/archive.sql');
  const missing = (d: { code?: string | number }[]) => d.some((x) => x.code === 'object-missing-table');
  const cleared = c.nextDiagnostics(uri, (d) => !missing(d));
  await c.open(archive, 'CREATE TABLE film_archive (film_id int NOT NULL PRIMARY KEY);\n');
  await cleared;
  const back = c.nextDiagnostics(uri, missing);
  await c.change(archive, 'CREATE TABLE film_archives (film_id int NOT NULL PRIMARY KEY);\n');
  await back;
});

test('a second view of one name (in a file after the first) is a duplicate-object error at its name, as the CLI reports it', async () => {
  const uri = ws.uri('schema/lint/views-again.sql');
  const d = await c.open(uri, 'CREATE VIEW titles AS SELECT film_id FROM film;\n');
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.range.start.line, x.range.start.character]), [['duplicate-object', DiagnosticSeverity.Error, 0, 12]]);
  await c.change(uri, '');
});

test('none of it reached a database: the editor compares files with files and never probes', () => {
  const statuses = c.notifications.filter((n) => n.method === P.ServerStatusNotification.method).map((n) => (n.params as P.ServerStatusParams).database);
  assert.ok(statuses.length > 0);
  assert.deepEqual(statuses.filter((d) => d !== null), []);
});
